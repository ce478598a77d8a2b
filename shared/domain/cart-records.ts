/**
 * Carts as stored (money in minor units) and as the API shows them, and the
 * rules of a cart's status: active until inactive for the storefront's
 * threshold, then abandoned; converted (or recovered, when a recovery email
 * went out) once an order completes it.
 */
import { ValidationError, type FieldIssue } from "../http/errors";
import type { cartView as cartViewSchema, CartStatus, CartItemInput, UpsertCartInput } from "../schemas/cart";
import { formatMinorUnits, minorOf } from "./money";
import { inOrder, type AllFieldsListed } from "./record-fields";
import type * as v from "valibot";

export interface CartItemRecord {
  external_product_id: string | null;
  external_variant_id: string | null;
  sku: string | null;
  product_name: string;
  variant_name: string | null;
  quantity: number;
  unit_price_minor: number;
  total_minor: number;
  image_url: string | null;
}

export interface CartRecord {
  cart_id: number;
  storefront_id: number;
  external_cart_id: string | null;
  cart_token: string | null;
  ecommerce_customer_id: number | null;
  external_customer_id: string | null;
  customer_email: string | null;
  customer_first_name: string | null;
  /** The shopper's consent given at checkout; the customer's own record, when there is one, decides. */
  buyer_accepts_marketing: boolean | null;
  cart_items: CartItemRecord[];
  item_count: number;
  subtotal_minor: number;
  discount_minor: number;
  shipping_minor: number;
  tax_minor: number;
  total_minor: number;
  currency: string;
  cart_status: CartStatus;
  is_abandoned: boolean;
  /** Set the first time the cart is abandoned and never cleared: the cart counts among carts ever abandoned. */
  was_abandoned: boolean;
  abandoned_at: string | null;
  last_activity_at: string;
  /** When an active cart is abandoned if nothing happens: last activity + the storefront's threshold. */
  abandon_after: string | null;
  recovery_email_sent: boolean;
  recovery_email_sent_at: string | null;
  recovery_email_count: number;
  checkout_url: string | null;
  converted_to_order: boolean;
  ecommerce_order_id: number | null;
  converted_at: string | null;
  /** The total of the order that completed an emailed cart, in the order's currency. */
  recovered_revenue_minor: number;
  recovered_currency: string | null;
  completed_at: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  browser_info: Record<string, unknown> | null;
  platform_updated_at: string | null;
  /** The storefront's time zone when the cart was last written: analytics counts the cart's events on their days there. */
  time_zone: string;
  created_at: string;
  updated_at: string;
  /** Incremented by every write; writes are conditioned on it. */
  version: number;
}

/** A cart that became an order is done: nothing but its conversion changes it. */
export const isFinal = (status: CartStatus) => status === "converted" || status === "recovered" || status === "expired";

function cartItem(input: CartItemInput, currency: string, index: number, issues: FieldIssue[]): CartItemRecord {
  const field = (name: string) => `body.cart_items.${index}.${name}`;
  const unitPrice = minorOf(input.unit_price, currency, field("unit_price"), issues);
  return {
    external_product_id: input.external_product_id ?? null,
    external_variant_id: input.external_variant_id ?? null,
    sku: input.sku ?? null,
    product_name: input.product_name,
    variant_name: input.variant_name ?? null,
    quantity: input.quantity,
    unit_price_minor: unitPrice,
    total_minor: minorOf(input.total_amount, currency, field("total_amount"), issues, unitPrice * input.quantity),
    image_url: input.image_url ?? null,
  };
}

/** The fields an upsert sets, from the request; amounts the platform left out are computed from the items. */
export function cartFieldsOf(input: UpsertCartInput, currency: string) {
  const issues: FieldIssue[] = [];
  const items = input.cart_items.map((item, index) => cartItem(item, currency, index, issues));
  const itemsTotal = items.reduce((sum, item) => sum + item.total_minor, 0);
  const subtotal = minorOf(input.subtotal_amount, currency, "body.subtotal_amount", issues, itemsTotal);
  const discount = minorOf(input.discount_amount, currency, "body.discount_amount", issues);
  const shipping = minorOf(input.shipping_amount, currency, "body.shipping_amount", issues);
  const tax = minorOf(input.tax_amount, currency, "body.tax_amount", issues);
  const total = minorOf(input.total_amount, currency, "body.total_amount", issues, Math.max(0, subtotal - discount + shipping + tax));
  if (issues.length > 0) throw new ValidationError(issues);
  return {
    external_cart_id: input.external_cart_id ?? null,
    cart_token: input.cart_token ?? null,
    external_customer_id: input.external_customer_id ?? null,
    customer_email: input.customer_email?.toLowerCase() ?? null,
    customer_first_name: input.customer_first_name ?? null,
    buyer_accepts_marketing: input.buyer_accepts_marketing ?? null,
    cart_items: items,
    item_count: items.reduce((sum, item) => sum + item.quantity, 0),
    subtotal_minor: subtotal,
    discount_minor: discount,
    shipping_minor: shipping,
    tax_minor: tax,
    total_minor: total,
    currency,
    checkout_url: input.checkout_url ?? null,
    utm_source: input.utm_source ?? null,
    utm_medium: input.utm_medium ?? null,
    utm_campaign: input.utm_campaign ?? null,
    browser_info: input.browser_info ?? null,
    completed_at: input.completed_at ?? null,
  };
}

export type CartView = v.InferOutput<typeof cartViewSchema>;

export const CART_VIEW_FIELDS = [
  "cart_id",
  "storefront_id",
  "external_cart_id",
  "cart_token",
  "ecommerce_customer_id",
  "external_customer_id",
  "customer_email",
  "customer_first_name",
  "cart_items",
  "item_count",
  "subtotal_amount",
  "discount_amount",
  "shipping_amount",
  "tax_amount",
  "total_amount",
  "currency",
  "cart_status",
  "is_abandoned",
  "abandoned_at",
  "last_activity_at",
  "recovery_email_sent",
  "recovery_email_sent_at",
  "recovery_email_count",
  "checkout_url",
  "converted_to_order",
  "ecommerce_order_id",
  "converted_at",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "browser_info",
  "created_at",
  "updated_at",
] as const;
const everyCartFieldListed: AllFieldsListed<typeof cartViewSchema, typeof CART_VIEW_FIELDS> = true;
void everyCartFieldListed;

export function cartView(cart: CartRecord): CartView {
  const money = (minor: number) => formatMinorUnits(minor, cart.currency);
  return inOrder(CART_VIEW_FIELDS, {
      ...cart,
      cart_items: cart.cart_items.map(({ unit_price_minor, total_minor, ...item }) => ({ ...item, unit_price: money(unit_price_minor), total_amount: money(total_minor) })),
      subtotal_amount: money(cart.subtotal_minor),
      discount_amount: money(cart.discount_minor),
      shipping_amount: money(cart.shipping_minor),
      tax_amount: money(cart.tax_minor),
      total_amount: money(cart.total_minor),
    }) as unknown as CartView;
}

const HOUR_MS = 3_600_000;

/** The seed's hours_abandoned (one decimal) and days_abandoned (whole days) at `now`. */
export function abandonedFor(abandonedAt: string, now: Date) {
  const hours = Math.max(0, now.getTime() - Date.parse(abandonedAt)) / HOUR_MS;
  return { hours_abandoned: Math.floor(hours * 10) / 10, days_abandoned: Math.floor(hours / 24) };
}

export const addHours = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR_MS).toISOString();
