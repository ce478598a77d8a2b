/**
 * The shape of the generated data: the storefronts and their currencies, the
 * catalog, shoppers' names and places, shipping and payment methods, and how
 * the order volume is spread over the hours, the weekdays and the period.
 */
import { SAMPLE_WEBHOOK_SECRET } from "../sample-data";

/** The sample storefronts plus one in euros; each sells mostly in its own currency. */
export const STOREFRONT_MIX = [
  { code: "SHOPIFY-MAIN", share: 0.42, currencies: [["USD", 0.82], ["CAD", 0.12], ["GBP", 0.06]] },
  { code: "WOO-MAIN", share: 0.18, currencies: [["USD", 0.9], ["CAD", 0.1]] },
  { code: "AMAZON-US", share: 0.22, currencies: [["USD", 1]] },
  { code: "SHOPIFY-EU", share: 0.18, currencies: [["EUR", 0.88], ["GBP", 0.12]] },
] as const;

export const EXTRA_STOREFRONT = {
  storefront_code: "SHOPIFY-EU",
  storefront_name: "EU Shopify Store",
  platform_type: "shopify",
  platform_url: "https://eu-store.myshopify.com",
  default_currency: "EUR",
  timezone: "Europe/Berlin",
  is_connected: true,
  connection_status: "connected",
  webhook_secret: SAMPLE_WEBHOOK_SECRET,
};

/** Units of each currency per US dollar, for prices, shipping and thresholds. */
export const PER_USD: Record<string, number> = { USD: 1, CAD: 1.37, GBP: 0.79, EUR: 0.92 };
export const TAX_RATE: Record<string, number> = { USD: 0.08, CAD: 0.13, GBP: 0.2, EUR: 0.19 };
export const COUNTRY: Record<string, { country: string; cities: [string, string, string][] }> = {
  USD: { country: "US", cities: [["New York", "NY", "10001"], ["Austin", "TX", "73301"], ["Seattle", "WA", "98101"], ["Chicago", "IL", "60601"], ["Denver", "CO", "80202"]] },
  CAD: { country: "CA", cities: [["Toronto", "ON", "M5H 2N2"], ["Vancouver", "BC", "V6B 1A1"], ["Montreal", "QC", "H2Y 1C6"]] },
  GBP: { country: "GB", cities: [["London", "", "EC1A 1BB"], ["Manchester", "", "M1 1AE"], ["Edinburgh", "", "EH1 1YZ"]] },
  EUR: { country: "DE", cities: [["Berlin", "BE", "10115"], ["Munich", "BY", "80331"], ["Hamburg", "HH", "20095"]] },
};
export const FIRST_NAMES = ["Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo", "Chloe", "Leon", "Hannah", "Omar", "Yuki", "Priya", "Jonas", "Clara", "Diego", "Amara"];
export const LAST_NAMES = ["Smith", "Garcia", "Müller", "Chen", "Johnson", "Rossi", "Nguyen", "Brown", "Schmidt", "Patel", "Martin", "Kowalski", "Silva", "Dubois", "Kim", "Okafor"];
export const SHIPPING = [
  ["Standard Shipping", 5.99, 0.62],
  ["Express Shipping", 15.99, 0.28],
  ["Next Day Delivery", 29.99, 0.1],
] as const;
export const PAYMENT_METHODS = [["credit_card", 0.68], ["paypal", 0.2], ["apple_pay", 0.12]] as const;

/** The generated catalog, in US dollars; each storefront gets it in its own currency. */
export const CATALOG: { slug: string; name: string; usd: number; option?: [string, string[]] }[] = [
  { slug: "wireless-mouse", name: "Wireless Mouse", usd: 29.99, option: ["Color", ["Black", "White"]] },
  { slug: "mechanical-keyboard", name: "Mechanical Keyboard", usd: 119.99, option: ["Switch", ["Red", "Brown", "Blue"]] },
  { slug: "usb-c-hub", name: "USB-C Hub 7-in-1", usd: 49.99 },
  { slug: "monitor-27-4k", name: '27" 4K Monitor', usd: 389.99 },
  { slug: "laptop-stand", name: "Aluminium Laptop Stand", usd: 44.99 },
  { slug: "desk-lamp", name: "LED Desk Lamp", usd: 39.99, option: ["Color", ["Black", "Silver"]] },
  { slug: "anc-headphones", name: "Noise-Cancelling Headphones", usd: 249.99, option: ["Color", ["Black", "Silver", "Blue"]] },
  { slug: "hd-webcam", name: "HD Webcam", usd: 69.99 },
  { slug: "logo-tshirt", name: "Logo T-Shirt", usd: 19.99, option: ["Size", ["S", "M", "L", "XL"]] },
  { slug: "zip-hoodie", name: "Zip Hoodie", usd: 49.99, option: ["Size", ["S", "M", "L", "XL"]] },
  { slug: "water-bottle", name: "Insulated Water Bottle", usd: 24.99 },
  { slug: "laptop-backpack", name: "Laptop Backpack", usd: 79.99 },
];

/** Relative order volume by local hour, and by local weekday (Sunday first). */
export const HOUR_SHAPE = [2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 11, 12, 11, 10, 10, 10, 11, 13, 15, 16, 14, 9, 5];
export const WEEKDAY_SHAPE = [1.2, 1.0, 0.95, 0.95, 1.0, 1.05, 1.15];
/** Volume at the end of the period relative to its start. */
export const GROWTH = 1.5;
