/**
 * The specification's sample data, loaded through the public API and the
 * signed generic webhook endpoint, so that the stream processors, counters
 * and analytics fill exactly as they do in use. Every write is keyed by an
 * external id, a code or a delivery id: loading twice changes nothing.
 */
import { signedHeaders } from "./sample-deliveries";
import { withAdminHubAt, type HubClient } from "./hub-client";

export type { HubClient } from "./hub-client";

/** The webhook secret of the sample storefronts: for local trials only. */
export const SAMPLE_WEBHOOK_SECRET = "sample-webhook-secret";

const STOREFRONTS = [
  { storefront_code: "SHOPIFY-MAIN", storefront_name: "Main Shopify Store", platform_type: "shopify", platform_url: "https://mystore.myshopify.com", is_connected: true, connection_status: "connected", auto_sync_products: true, auto_sync_orders: true },
  { storefront_code: "WOO-MAIN", storefront_name: "WooCommerce Store", platform_type: "woocommerce", platform_url: "https://shop.example.com", is_connected: false, connection_status: "disconnected" },
  { storefront_code: "AMAZON-US", storefront_name: "Amazon US Marketplace", platform_type: "amazon", platform_url: "https://sellercentral.amazon.com", is_connected: true, connection_status: "connected" },
] as const;

const CATEGORIES = [
  { external_category_id: "cat-electronics", category_name: "Electronics", category_slug: "electronics" },
  { external_category_id: "cat-laptops", category_name: "Laptops", category_slug: "laptops", external_parent_id: "cat-electronics" },
  { external_category_id: "cat-furniture", category_name: "Furniture", category_slug: "furniture" },
  { external_category_id: "cat-clothing", category_name: "Clothing", category_slug: "clothing" },
];

const PRODUCTS = [
  {
    external_product_id: "prod-laptop-15",
    external_sku: "LAP-001",
    erp_sku: "LAP-001",
    product_name: 'Professional Laptop 15"',
    price: "1299.99",
    inventory_quantity: 25,
    low_stock_threshold: 5,
    category: "cat-laptops",
    variants: [
      { external_variant_id: "var-laptop-16gb", sku: "LAP-001-16", option1_name: "Memory", option1_value: "16 GB", price: "1299.99", inventory_quantity: 15 },
      { external_variant_id: "var-laptop-32gb", sku: "LAP-001-32", option1_name: "Memory", option1_value: "32 GB", price: "1499.99", inventory_quantity: 10 },
    ],
  },
  { external_product_id: "prod-desk-exec", external_sku: "DESK-001", erp_sku: "DESK-001", product_name: "Executive Office Desk", price: "599.99", inventory_quantity: 12, low_stock_threshold: 3, category: "cat-furniture", variants: [] },
  {
    external_product_id: "prod-chair-ergo",
    external_sku: "CHAIR-001",
    erp_sku: "CHAIR-001",
    product_name: "Ergonomic Office Chair",
    price: "299.99",
    inventory_quantity: 40,
    low_stock_threshold: 10,
    category: "cat-furniture",
    variants: [{ external_variant_id: "var-chair-black", sku: "CHAIR-001-BLK", option1_name: "Color", option1_value: "Black", price: "299.99", inventory_quantity: 40 }],
  },
];

const SHIPPING_METHODS = [
  { method_code: "STANDARD", method_name: "Standard Shipping", carrier: "USPS", base_rate: "5.99", min_delivery_days: 5, max_delivery_days: 7, estimated_delivery_text: "5-7 business days" },
  { method_code: "EXPRESS", method_name: "Express Shipping", carrier: "FedEx", base_rate: "15.99", min_delivery_days: 2, max_delivery_days: 3, estimated_delivery_text: "2-3 business days" },
  { method_code: "NEXT_DAY", method_name: "Next Day Delivery", carrier: "FedEx", base_rate: "29.99", min_delivery_days: 1, max_delivery_days: 1, estimated_delivery_text: "Next business day" },
];

const JOHN = { customer_email: "john.doe@example.com", customer_first_name: "John", customer_last_name: "Doe", external_customer_id: "cust-john-doe" };
const ADDRESS = { first_name: "John", last_name: "Doe", address_line1: "123 Main Street", city: "New York", state_province: "NY", postal_code: "10001", country: "US" };

/** John Doe's three orders: 1,418.99 + 653.98 + 427.00 = 2,499.97. The third arrives by webhook. */
const ORDERS = [
  {
    external_order_id: "order-1001", external_order_number: "1001", external_order_name: "#1001", order_date: "2024-12-01T15:00:00Z",
    line_items: [{ external_item_id: "line-1001-1", external_product_id: "prod-laptop-15", product_name: 'Professional Laptop 15"', sku: "LAP-001", quantity: 1, unit_price: "1299.99" }],
    subtotal_amount: "1299.99", shipping_amount: "15.99", tax_amount: "103.01", total_amount: "1418.99",
    shipping_method: "Express Shipping", order_status: "fulfilled", payment_status: "paid", fulfillment_status: "fulfilled",
  },
  {
    external_order_id: "order-1002", external_order_number: "1002", external_order_name: "#1002", order_date: "2024-12-02T10:30:00Z",
    line_items: [{ external_item_id: "line-1002-1", external_product_id: "prod-desk-exec", product_name: "Executive Office Desk", sku: "DESK-001", quantity: 1, unit_price: "599.99" }],
    subtotal_amount: "599.99", shipping_amount: "5.99", tax_amount: "48.00", total_amount: "653.98",
    shipping_method: "Standard Shipping", order_status: "processing", payment_status: "paid", fulfillment_status: "unfulfilled",
  },
  {
    external_order_id: "order-1003", external_order_number: "1003", external_order_name: "#1003", order_date: "2024-12-03T18:45:00Z",
    line_items: [
      { external_item_id: "line-1003-1", external_product_id: "prod-chair-ergo", external_variant_id: "var-chair-black", product_name: "Ergonomic Office Chair", variant_name: "Black", sku: "CHAIR-001-BLK", quantity: 1, unit_price: "299.99" },
      { external_item_id: "line-1003-2", product_name: "Chair mat", sku: "MAT-001", quantity: 1, unit_price: "73.02" },
    ],
    subtotal_amount: "373.01", shipping_amount: "29.99", tax_amount: "24.00", total_amount: "427.00",
    shipping_method: "Next Day Delivery", order_status: "confirmed", payment_status: "paid", fulfillment_status: "unfulfilled",
  },
];

const HOUR = 3_600_000;
/** Carts, loaded once: two still active, two idle for days (the scheduled sweep, every 5 minutes, marks them abandoned). */
const CARTS = [
  { cart_token: "cart-active-1", customer_email: "alice@example.com", hoursAgo: 1, items: [{ product: 0, quantity: 1 }] },
  { cart_token: "cart-active-2", customer_email: "bob@example.com", hoursAgo: 3, items: [{ product: 2, quantity: 2 }] },
  { cart_token: "cart-idle-1", customer_email: "carol@example.com", hoursAgo: 72, items: [{ product: 1, quantity: 1 }, { product: 2, quantity: 1 }] },
  { cart_token: "cart-idle-2", customer_email: "dave@example.com", hoursAgo: 50, items: [{ product: 0, quantity: 1 }] },
];

async function expectStatus(response: Promise<{ status: number; body: any }>, allowed: number[], what: string) {
  const { status, body } = await response;
  if (!allowed.includes(status)) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  return { status, body };
}

export interface SeedSummary {
  storefronts: Record<string, number>;
  created: number;
  unchanged: number;
}

/** Loads the sample data; `now` dates the carts. */
export async function loadSampleData(hub: HubClient, now = new Date()): Promise<SeedSummary> {
  const summary: SeedSummary = { storefronts: {}, created: 0, unchanged: 0 };
  const count = (status: number) => (status === 201 || status === 202 ? (summary.created += 1) : (summary.unchanged += 1));

  let firstLoad = false;
  for (const storefront of STOREFRONTS) {
    const created = await expectStatus(hub.call("POST", "/api/ecommerce/storefronts", { ...storefront, default_currency: "USD", timezone: "America/New_York", webhook_secret: SAMPLE_WEBHOOK_SECRET }), [201, 409], storefront.storefront_code);
    count(created.status);
    if (storefront.storefront_code === "SHOPIFY-MAIN") firstLoad = created.status === 201;
    const found = created.status === 201 ? created : await expectStatus(hub.call("GET", `/api/ecommerce/storefronts/${storefront.storefront_code}`), [200], storefront.storefront_code);
    summary.storefronts[storefront.storefront_code] = found.body.storefront.storefront_id;
  }
  const main = summary.storefronts["SHOPIFY-MAIN"]!;

  for (const category of CATEGORIES) count((await expectStatus(hub.call("POST", "/api/ecommerce/categories", { storefront_id: main, sync_status: "synced", ...category }), [201, 409], category.category_name)).status);
  const categories = (await expectStatus(hub.call("GET", `/api/ecommerce/categories?storefront_id=${main}`), [200], "categories")).body;
  const categoryId = (external: string) => categories.categories.find((category: any) => category.external_category_id === external)?.ecommerce_category_id;

  for (const { variants, category, ...product } of PRODUCTS) {
    const saved = await expectStatus(
      hub.call("POST", "/api/ecommerce/products", { storefront_id: main, ...product, ecommerce_category_id: categoryId(category), is_published: true, sync_status: "synced", updated_at: "2024-11-01T00:00:00Z" }),
      [200, 201],
      product.product_name,
    );
    count(saved.status);
    for (const variant of variants) {
      count((await expectStatus(hub.call("POST", `/api/ecommerce/products/${saved.body.product.ecommerce_product_id}/variants`, variant), [201, 409], variant.sku)).status);
    }
  }

  // Method codes are not unique in the API: the ones there already are left alone.
  const existing = (await expectStatus(hub.call("GET", `/api/ecommerce/shipping/methods?storefront_id=${main}`), [200], "shipping methods")).body;
  const codes = new Set<string>((existing.shipping_methods as { method_code: string }[]).map((method) => method.method_code));
  for (const method of SHIPPING_METHODS) {
    if (codes.has(method.method_code)) count(200);
    else count((await expectStatus(hub.call("POST", "/api/ecommerce/shipping/methods", { storefront_id: main, ...method }), [201], method.method_name)).status);
  }

  const orderBody = (order: (typeof ORDERS)[number]) => ({ ...JOHN, ...order, currency: "USD", payment_method: "credit_card", shipping_address: ADDRESS, billing_address: ADDRESS, updated_at: order.order_date });
  for (const order of ORDERS.slice(0, 2)) {
    count((await expectStatus(hub.call("POST", "/api/ecommerce/orders", { storefront_id: main, ...orderBody(order) }), [200, 201], order.external_order_name)).status);
  }
  // The third order comes the way a custom connector sends it: a signed webhook, de-duplicated on its delivery id.
  const raw = JSON.stringify({ storefront_code: "SHOPIFY-MAIN", webhook_event: "order.created", data: orderBody(ORDERS[2]!) });
  const delivery = await expectStatus(
    hub.call("POST", "/api/ecommerce/webhooks/orders", raw, signedHeaders("generic", raw, SAMPLE_WEBHOOK_SECRET, { "X-Ocean-Delivery-Id": "sample-order-1003" }, Math.floor(now.getTime() / 1000))),
    [200, 202],
    "order #1003 webhook",
  );
  count(delivery.status);

  // Carts are dated from the first load: loading again must not count as shoppers' activity.
  for (const cart of firstLoad ? CARTS : []) {
    const updatedAt = new Date(now.getTime() - cart.hoursAgo * HOUR).toISOString();
    const body = {
      storefront_id: main,
      cart_token: cart.cart_token,
      customer_email: cart.customer_email,
      buyer_accepts_marketing: true,
      currency: "USD",
      checkout_url: `https://mystore.myshopify.com/checkouts/${cart.cart_token}/recover`,
      cart_items: cart.items.map(({ product, quantity }) => ({ external_product_id: PRODUCTS[product]!.external_product_id, product_name: PRODUCTS[product]!.product_name, sku: PRODUCTS[product]!.external_sku, quantity, unit_price: PRODUCTS[product]!.price })),
      created_at: updatedAt,
      updated_at: updatedAt,
    };
    const saved = await expectStatus(hub.call("POST", "/api/ecommerce/carts", body), [200, 201], cart.cart_token);
    count(saved.status === 201 ? 201 : 200);
  }
  return summary;
}

/** Loads the sample data into the hub at `url` with an admin key issued for the purpose and revoked after (run where the table is reachable). */
export async function loadSampleDataInto(url: string, now = new Date()): Promise<SeedSummary> {
  return withAdminHubAt(url, "sample data loader", (hub) => loadSampleData(hub, now));
}
