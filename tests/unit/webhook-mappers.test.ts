import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { toImportedOrder } from "../../shared/domain/order-records";
import { formatMinorUnits } from "../../shared/domain/money";
import { upsertCartBody } from "../../shared/schemas/cart";
import { updateCustomerBody } from "../../shared/schemas/customer";
import { importOrderBody } from "../../shared/schemas/order";
import { recordPaymentBody } from "../../shared/schemas/payment";
import { upsertProductBody } from "../../shared/schemas/product";
import { createVariantBody } from "../../shared/schemas/variant";
import { UnreadablePayloadError, type Body, type WebhookAction } from "../../shared/webhooks/actions";
import { mapGeneric } from "../../shared/webhooks/generic";
import { parsePlatformJson } from "../../shared/webhooks/parse-json";
import { mapShopify } from "../../shared/webhooks/shopify";
import { mapWooCommerce } from "../../shared/webhooks/woocommerce";

const EVENTS = join(__dirname, "../../events");

interface Delivery {
  topic: string;
  body: unknown;
}

/** The whole file through parsePlatformJson, as the worker reads a delivery: ids above 2^53 stay exact. */
const delivery = (platform: string, file: string): Delivery => parsePlatformJson(readFileSync(join(EVENTS, platform, file), "utf8")) as Delivery;
const files = (platform: string) => readdirSync(join(EVENTS, platform)).filter((file) => file.endsWith(".json"));

/** A deep copy of a sample body to change one thing in. */
const bodyOf = (platform: string, file: string) => structuredClone(delivery(platform, file).body) as Record<string, unknown>;

function mapDelivery(platform: string, { topic, body }: Delivery): WebhookAction[] {
  if (platform === "shopify") return mapShopify(topic, body);
  if (platform === "woocommerce") return mapWooCommerce(topic, body);
  const { webhook_event, data } = body as { webhook_event: string; data: unknown };
  return mapGeneric(webhook_event, data);
}

function expectValid<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new Error(`invalid: ${JSON.stringify(result.issues.map((issue) => ({ path: v.getDotPath(issue), message: issue.message })))}`);
  }
  return result.output;
}

/** Each action checked against the REST schema the worker will apply it with. */
function validateAction(action: WebhookAction): void {
  switch (action.type) {
    case "import_order":
      expectValid(importOrderBody, { ...action.body, storefront_id: 1 });
      return;
    case "upsert_product":
      expectValid(upsertProductBody, { ...action.body, storefront_id: 1 });
      // The applier takes inventory_item_id off before validating a variant.
      for (const { inventory_item_id: _item, ...variant } of action.variants) expectValid(createVariantBody, variant);
      return;
    case "record_refund":
      expect(action.payments.length).toBeGreaterThan(0);
      for (const payment of action.payments) expectValid(recordPaymentBody, { ...payment, parent_payment_id: 1 });
      return;
    case "upsert_customer":
      expect(action.body.external_customer_id).toMatch(/^\S+$/);
      expect(action.body.email).toMatch(/^[^@\s]+@[^@\s]+$/);
      // No upsert schema for customers: the fields the update schema shares are checked with it.
      if (["tags", "notes", "accepts_marketing"].some((key) => key in action.body)) expectValid(updateCustomerBody, action.body);
      return;
    case "upsert_cart":
      expect(action.body.external_cart_id).toMatch(/^\S+$/);
      expect(expectValid(upsertCartBody, { ...action.body, storefront_id: 1 }).cart_items.length).toBeGreaterThan(0);
      return;
    case "set_inventory":
      expect(Number.isInteger(action.inventory_quantity) && action.inventory_quantity >= 0).toBe(true);
      expect(action.inventory_item_id ?? action.external_variant_id ?? action.external_product_id ?? action.sku).toBeTruthy();
      return;
    case "remove_product":
      expect(action.external_product_id).toMatch(/^\S+$/);
      return;
    case "ignore":
      expect(action.reason).not.toBe("");
  }
}

function only<T extends WebhookAction["type"]>(actions: WebhookAction[], type: T): Extract<WebhookAction, { type: T }> {
  expect(actions).toHaveLength(1);
  expect(actions[0]!.type).toBe(type);
  return actions[0] as Extract<WebhookAction, { type: T }>;
}

const orderOf = (actions: WebhookAction[]) => only(actions, "import_order").body;

/** The totals the hub itself computes from the import (Σ line totals − discount + shipping + tax). */
function hubTotals(body: Body) {
  const input = expectValid(importOrderBody, { ...body, storefront_id: 1 });
  const { fields } = toImportedOrder(input, { default_currency: "USD", timezone: "UTC" });
  return { subtotal: formatMinorUnits(fields.subtotal_minor, fields.currency), total: formatMinorUnits(fields.total_minor, fields.currency) };
}

const lines = (body: Body) => body.line_items as Body[];

describe.each(["shopify", "woocommerce", "generic"])("every %s sample", (platform) => {
  it.each(files(platform))("%s maps to actions the REST schemas accept", (file) => {
    const actions = mapDelivery(platform, delivery(platform, file));
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) validateAction(action);
  });
});

describe("Shopify orders", () => {
  const shopifyOrder = (file: string) => orderOf(mapShopify(delivery("shopify", file).topic, delivery("shopify", file).body));

  it("keeps the 64-bit ids exact and takes number, name and customer from the order", () => {
    const order = shopifyOrder("orders-create.json");
    expect(order.external_order_id).toBe("820982911946154508");
    expect(order.external_order_number).toBe("1001");
    expect(order.external_order_name).toBe("#1001");
    expect(order.external_customer_id).toBe("115310627314723954");
    expect(order).toMatchObject({ customer_email: "john@example.com", customer_first_name: "John", customer_last_name: "Smith", currency: "USD" });
    expect(order).toMatchObject({ order_date: "2025-11-03T10:15:42-05:00", updated_at: "2025-11-03T10:15:42-05:00", payment_gateway: "bogus", shipping_method: "Generic Shipping", is_test_order: false });
  });

  it("maps both lines with their ids, discounts allocated to the lines and their tax", () => {
    expect(lines(shopifyOrder("orders-create.json"))).toEqual([
      expect.objectContaining({ external_item_id: "866550311766439020", external_product_id: "632910392", external_variant_id: "808950810", product_name: "IPod Nano - 8GB", variant_name: "Pink", sku: "IPOD2008PINK", quantity: 1, unit_price: "199.00", discount_amount: "10.00", tax_amount: "11.34", total_amount: "189.00", weight: 0.567 }),
      expect.objectContaining({ external_item_id: "141249953214522974", external_product_id: "632910392", external_variant_id: "49148385", variant_name: "Red", total_amount: "189.00" }),
    ]);
  });

  it("gives amounts from which the hub computes Shopify's own total_price", () => {
    const order = shopifyOrder("orders-create.json");
    expect(order).toMatchObject({ subtotal_amount: "378.00", discount_amount: "0.00", shipping_amount: "10.00", tax_amount: "22.68", total_amount: "410.68" });
    expect(hubTotals(order)).toEqual({ subtotal: "378.00", total: "410.68" });
  });

  it("leaves the tax out of the order's sum when prices include it", () => {
    const body = bodyOf("shopify", "orders-create.json");
    Object.assign(body, { taxes_included: true, total_price: "388.00" });
    const order = orderOf(mapShopify("orders/create", body));
    expect(order.tax_amount).toBe("0.00");
    expect(hubTotals(order).total).toBe("388.00");
  });

  it("keeps an order-level discount that was not allocated to lines", () => {
    const body = bodyOf("shopify", "orders-create.json");
    Object.assign(body, { total_discounts: "25.00", total_price: "405.68" });
    const order = orderOf(mapShopify("orders/create", body));
    expect(order.discount_amount).toBe("5.00");
    expect(hubTotals(order).total).toBe("405.68");
  });

  it.each([
    ["orders-create.json", "pending", "authorized", "unfulfilled"],
    ["orders-paid.json", "confirmed", "paid", "unfulfilled"],
    ["orders-updated.json", "confirmed", "paid", "unfulfilled"],
    ["orders-partially_fulfilled.json", "processing", "paid", "partially_fulfilled"],
    ["orders-fulfilled.json", "fulfilled", "paid", "fulfilled"],
    ["orders-cancelled.json", "cancelled", "refunded", "unfulfilled"],
  ])("%s → order %s, payment %s, fulfilment %s", (file, orderStatus, paymentStatus, fulfillmentStatus) => {
    expect(shopifyOrder(file)).toMatchObject({ order_status: orderStatus, payment_status: paymentStatus, fulfillment_status: fulfillmentStatus });
  });

  it("maps a refunded order that was not cancelled to refunded, an expired authorization to voided", () => {
    const refunded = bodyOf("shopify", "orders-updated.json");
    refunded.financial_status = "refunded";
    expect(orderOf(mapShopify("orders/updated", refunded))).toMatchObject({ order_status: "refunded", payment_status: "refunded" });
    const expired = bodyOf("shopify", "orders-create.json");
    expired.financial_status = "expired";
    expect(orderOf(mapShopify("orders/updated", expired))).toMatchObject({ order_status: "pending", payment_status: "voided" });
  });

  it("splits tags, keeps the note and maps the addresses to the REST shape", () => {
    const order = shopifyOrder("orders-updated.json");
    expect(order.tags).toEqual(["gift", "vip"]);
    expect(order.customer_note).toBe("Please gift wrap");
    expect(order.shipping_address).toEqual({
      first_name: "Steve", last_name: "Shipper", company: "Shipping Company", address_line1: "123 Shipping Street", address_line2: null,
      city: "Shippington", state_province: "KY", postal_code: "40003", country: "US", phone: "555-555-SHIP",
    });
    expect((order.billing_address as Body).address_line1).toBe("123 Billing Street");
  });

  it("maps to the same order as the generic sample of the same order", () => {
    const fromShopify = expectValid(importOrderBody, { ...shopifyOrder("orders-updated.json"), storefront_id: 1 });
    const { data } = delivery("generic", "order.updated.json").body as { data: Body };
    const fromGeneric = expectValid(importOrderBody, { ...only(mapGeneric("order.updated", data), "import_order").body, storefront_id: 1 });
    const fields = ["external_order_id", "external_order_number", "external_order_name", "external_customer_id", "order_date", "updated_at", "subtotal_amount", "discount_amount", "shipping_amount", "tax_amount", "total_amount", "order_status", "payment_status", "fulfillment_status", "shipping_address", "billing_address", "tags", "customer_note"] as const;
    for (const field of fields) expect([field, fromShopify[field]]).toEqual([field, fromGeneric[field]]);
    expect(fromShopify.line_items.map(({ weight: _w, ...line }) => line)).toEqual(fromGeneric.line_items.map(({ weight: _w, ...line }) => line));
  });
});

describe("Shopify refunds, products, inventory, customers, checkouts", () => {
  const map = (file: string) => mapShopify(delivery("shopify", file).topic, delivery("shopify", file).body);

  it("records the successful refund transaction against the order, naming its parent transaction", () => {
    const refund = only(map("refunds-create.json"), "record_refund");
    expect(refund.external_order_id).toBe("820982911946154508");
    expect(refund.payments).toEqual([
      {
        payment_type: "refund", amount: "410.68", currency: "USD", external_payment_id: "#1001.2", external_transaction_id: "245135271310201194",
        parent_external_transaction_id: "389404469", payment_gateway: "bogus", payment_status: "succeeded",
        payment_date: "2025-11-03T12:30:27-05:00", refund_reason: "Customer changed their mind",
      },
    ]);
  });

  it("leaves out failed refund transactions, and ignores a refund with none that succeeded", () => {
    const body = bodyOf("shopify", "refunds-create.json");
    const [transaction] = body.transactions as Body[];
    body.transactions = [{ ...transaction, status: "failure" }];
    expect(only(mapShopify("refunds/create", body), "ignore").reason).toMatch(/no successful refund/);
  });

  it("maps the product with its variants, options by position and inventory items", () => {
    const action = only(map("products-update.json"), "upsert_product");
    expect(action.replaceVariants).toBe(true);
    expect(action.body).toMatchObject({
      external_product_id: "632910392", product_name: "IPod Nano - 8GB", product_slug: "ipod-nano", price: "199.00", inventory_quantity: 98,
      is_published: true, allow_backorder: true, tags: ["Emotive", "Flash Memory", "MP3", "Music"],
      featured_image_url: "https://cdn.shopify.com/s/files/1/0005/4838/0009/products/ipod-nano.png?v=1761000000",
    });
    expect(action.body.external_sku).toBeUndefined();
    expect(action.body.external_metadata).toEqual({ vendor: "Apple", product_type: "Cult Products" });
    expect(action.variants).toHaveLength(4);
    expect(action.variants[0]).toMatchObject({
      external_variant_id: "808950810", variant_name: "Pink", sku: "IPOD2008PINK", option1_name: "Color", option1_value: "Pink", price: "199.00",
      barcode: "1234_pink", inventory_quantity: 9, inventory_item_id: "808950810", image_url: "https://cdn.shopify.com/s/files/1/0005/4838/0009/products/ipod-nano.png?v=1761000000",
    });
    expect(action.variants[1]).toMatchObject({ external_variant_id: "49148385", option1_value: "Red", inventory_quantity: 19, inventory_item_id: "49148385", image_url: null });
    expect(action.variants[0]).not.toHaveProperty("option2_name");
  });

  it("keeps a lone Default Title variant, which carries the inventory item, and takes its sku for the product", () => {
    const body = bodyOf("shopify", "products-update.json");
    const [pink] = body.variants as Body[];
    body.variants = [{ ...pink, title: "Default Title", option1: "Default Title", inventory_item_id: 4242 }];
    body.options = [{ name: "Title", position: 1, values: ["Default Title"] }];
    const action = only(mapShopify("products/update", body), "upsert_product");
    expect(action.variants).toEqual([expect.objectContaining({ external_variant_id: "808950810", inventory_item_id: "4242", option1_name: "Title", option1_value: "Default Title" })]);
    expect(action.body).toMatchObject({ external_sku: "IPOD2008PINK", inventory_quantity: 9 });
  });

  it("unpublishes a deleted product", () => {
    expect(map("products-delete.json")).toEqual([{ type: "remove_product", external_product_id: "632910392" }]);
  });

  it("sets the inventory item's available count at its location", () => {
    expect(map("inventory_levels-update.json")).toEqual([
      { type: "set_inventory", inventory_item_id: "808950810", inventory_quantity: 9, location_id: "487838322", updated_at: "2025-11-03T10:15:43-05:00" },
    ]);
  });

  it("maps customers, with marketing consent from email_marketing_consent", () => {
    const customer = only(map("customers-update.json"), "upsert_customer").body;
    expect(customer).toMatchObject({ external_customer_id: "115310627314723954", email: "john@example.com", first_name: "John", last_name: "Smith", phone: "+16135550135", notes: "Prefers gift wrapping" });
    const body = bodyOf("shopify", "customers-update.json");
    body.email_marketing_consent = { state: "subscribed", opt_in_level: "single_opt_in" };
    expect(only(mapShopify("customers/update", body), "upsert_customer").body.accepts_marketing).toBe(true);
    body.email_marketing_consent = { state: "unsubscribed" };
    expect(only(mapShopify("customers/update", body), "upsert_customer").body.accepts_marketing).toBe(false);
  });

  it("maps a checkout to a cart keyed by its token", () => {
    const cart = only(map("checkouts-update.json"), "upsert_cart").body;
    expect(cart).toMatchObject({
      external_cart_id: "123123123", cart_token: "eeafa272cebfd4b22385bc4b645e762c", customer_email: "john@example.com", external_customer_id: "115310627314723954",
      currency: "USD", subtotal_amount: "398.00", tax_amount: "23.88", total_amount: "421.88", completed_at: null,
      checkout_url: "https://ocean-demo.myshopify.com/548380009/checkouts/123123123/recover?key=example-secret-token",
    });
    expect((cart.cart_items as Body[]).map((line) => [line.external_variant_id, line.sku, line.quantity, line.unit_price])).toEqual([
      ["808950810", "IPOD2008PINK", 1, "199.00"],
      ["49148385", "IPOD2008RED", 1, "199.00"],
    ]);
  });
});

describe("WooCommerce", () => {
  const map = (file: string) => mapWooCommerce(delivery("woocommerce", file).topic, delivery("woocommerce", file).body);

  it("maps order 727 with totals the hub recomputes to Woo's total", () => {
    const order = orderOf(map("order.created.json"));
    expect(order).toMatchObject({
      external_order_id: "727", external_order_number: "727", external_customer_id: "25", customer_email: "john.doe@example.com",
      order_date: "2017-03-22T19:28:02Z", updated_at: "2017-03-22T19:28:08Z", subtotal_amount: "18.00", discount_amount: "0.00",
      shipping_amount: "10.00", tax_amount: "1.35", total_amount: "29.35", payment_gateway: "bacs", payment_method: "Direct Bank Transfer",
      shipping_method: "Flat Rate", customer_note: null,
    });
    expect(hubTotals(order)).toEqual({ subtotal: "18.00", total: "29.35" });
    expect((order.billing_address as Body).company).toBeNull();
  });

  it("maps simple and variation lines, the parent as product and the attributes as variant", () => {
    expect(lines(orderOf(map("order.created.json")))).toEqual([
      { external_item_id: "315", external_product_id: "93", product_name: "Woo Single #1", variant_name: null, sku: "WOO-SINGLE-1", quantity: 2, unit_price: "3.00", discount_amount: "0.00", tax_amount: "0.45", total_amount: "6.00" },
      { external_item_id: "316", external_product_id: "22", external_variant_id: "23", product_name: "Ship Your Idea", variant_name: "Color: Black, Size: M Test", sku: "Bar3", quantity: 1, unit_price: "12.00", discount_amount: "0.00", tax_amount: "0.90", total_amount: "12.00" },
    ]);
  });

  it("takes a coupon from the line's subtotal and total, and a negative fee as an order discount", () => {
    const body = bodyOf("woocommerce", "order.created.json");
    const [first, second] = body.line_items as Body[];
    body.line_items = [{ ...first, quantity: 3, subtotal: "10.00", total: "8.00" }, second];
    body.fee_lines = [{ id: 9, name: "Gift wrap", total: "2.50", total_tax: "0.00" }, { id: 10, name: "Goodwill", total: "-1.00", total_tax: "0.00" }];
    body.total = "32.85"; // 8 + 12 + 2.50 − 1 + 10 shipping + 1.35 tax
    const order = orderOf(mapWooCommerce("order.updated", body));
    expect(lines(order)[0]).toMatchObject({ unit_price: "3.33", discount_amount: "2.00", total_amount: "8.00" });
    expect(lines(order)[2]).toMatchObject({ external_item_id: "fee-9", product_name: "Gift wrap", quantity: 1, unit_price: "2.50", requires_shipping: false });
    expect(order.discount_amount).toBe("1.00");
    expect(hubTotals(order).total).toBe("32.85");
  });

  it.each([
    ["pending", "pending", "pending", "unfulfilled"],
    ["on-hold", "pending", "pending", "unfulfilled"],
    ["failed", "pending", "pending", "unfulfilled"],
    ["processing", "confirmed", "paid", "unfulfilled"],
    ["completed", "fulfilled", "paid", "fulfilled"],
    ["cancelled", "cancelled", "paid", "unfulfilled"],
    ["refunded", "refunded", "refunded", "unfulfilled"],
  ])("status %s → order %s, payment %s, fulfilment %s", (status, orderStatus, paymentStatus, fulfillmentStatus) => {
    const body = bodyOf("woocommerce", "order.created.json");
    body.status = status;
    expect(orderOf(mapWooCommerce("order.updated", body))).toMatchObject({ order_status: orderStatus, payment_status: paymentStatus, fulfillment_status: fulfillmentStatus });
  });

  it("maps the completed update, an unpaid cancellation and a partial refund", () => {
    expect(orderOf(map("order.updated.json"))).toMatchObject({ order_status: "fulfilled", payment_status: "paid", fulfillment_status: "fulfilled", updated_at: "2017-03-23T12:41:17Z" });
    const unpaid = bodyOf("woocommerce", "order.created.json");
    Object.assign(unpaid, { status: "cancelled", date_paid: null, date_paid_gmt: null });
    expect(orderOf(mapWooCommerce("order.updated", unpaid)).payment_status).toBe("voided");
    const refunded = bodyOf("woocommerce", "order.updated.json");
    refunded.refunds = [{ id: 726, reason: "", total: "-10.00" }];
    expect(orderOf(mapWooCommerce("order.updated", refunded)).payment_status).toBe("partially_refunded");
  });

  it("keeps a block checkout's draft order as a cart, and the placed order names that checkout", () => {
    const draft = bodyOf("woocommerce", "order.created.json");
    Object.assign(draft, { status: "checkout-draft", cart_hash: "a1b2c3", payment_url: "https://example.com/checkout/order-pay/727/?pay_for_order=true&key=wc_order_k" });
    const cart = only(mapWooCommerce("order.created", draft), "upsert_cart").body;
    const parsed = expectValid(upsertCartBody, { ...cart, storefront_id: 1 });
    expect(parsed).toMatchObject({ external_cart_id: "727", cart_token: "a1b2c3", customer_email: "john.doe@example.com", currency: "USD", total_amount: draft.total, checkout_url: draft.payment_url });
    expect(parsed.cart_items.length).toBe((draft.line_items as unknown[]).length);
    expect(orderOf(mapWooCommerce("order.updated", { ...draft, status: "processing" }))).toMatchObject({ checkout_token: "727", cart_token: "a1b2c3" });
  });

  it("ignores trashed and deleted orders, which the hub keeps", () => {
    const body = bodyOf("woocommerce", "order.updated.json");
    body.status = "trash";
    expect(only(mapWooCommerce("order.updated", body), "ignore").reason).toMatch(/trash/);
    expect(only(map("order.deleted.json"), "ignore").reason).toMatch(/727/);
    expect(only(map("ping.json"), "ignore").reason).toMatch(/ping/);
  });

  it("maps a product without touching its variations", () => {
    const action = only(map("product.updated.json"), "upsert_product");
    expect(action).toMatchObject({ variants: [], replaceVariants: false });
    expect(action.body).toMatchObject({
      external_product_id: "93", product_name: "Woo Single #1", product_slug: "woo-single-1", external_sku: "WOO-SINGLE-1", price: "2.50",
      compare_at_price: "3.00", is_on_sale: true, is_published: true, inventory_tracked: true, inventory_quantity: 48, allow_backorder: false,
      weight: 0.5, length: 10, width: 5, height: 2, updated_at: "2017-03-22T19:28:03Z",
      image_urls: ["https://woo.ocean-demo.example/wp-content/uploads/2017/03/T_2_front-4.jpg"],
    });
    expect(only(map("product.created.json"), "upsert_product").body).toMatchObject({ price: "3.00", compare_at_price: null, inventory_quantity: 50 });
    expect(map("product.deleted.json")).toEqual([{ type: "remove_product", external_product_id: "93" }]);
  });

  it("maps customers", () => {
    expect(only(map("customer.updated.json"), "upsert_customer").body).toEqual({
      external_customer_id: "25", email: "john.doe@example.com", first_name: "John", last_name: "Doe", phone: "(555) 555-5555", updated_at: "2017-03-22T19:28:08Z",
    });
  });
});

describe("generic events", () => {
  const dataOf = (file: string) => structuredClone((delivery("generic", file).body as { data: Body }).data);

  it("imports orders as sent, with totals that reconcile", () => {
    const order = orderOf(mapGeneric("order.created", dataOf("order.created.json")));
    expect(order).toEqual(dataOf("order.created.json"));
    expect(hubTotals(order)).toEqual({ subtotal: "378.00", total: "410.68" });
  });

  it("defaults the status implied by the event, unless the data says otherwise", () => {
    const data = dataOf("order.updated.json");
    delete data.order_status;
    delete data.fulfillment_status;
    expect(orderOf(mapGeneric("order.cancelled", data)).order_status).toBe("cancelled");
    expect(orderOf(mapGeneric("order.fulfilled", data))).toMatchObject({ order_status: "fulfilled", fulfillment_status: "fulfilled" });
    expect(orderOf(mapGeneric("order.cancelled", { ...data, order_status: "refunded" })).order_status).toBe("refunded");
    expect(orderOf(mapGeneric("order.cancelled", dataOf("order.cancelled.json"))).order_status).toBe("cancelled");
  });

  it("never lets the data pick the storefront", () => {
    expect(orderOf(mapGeneric("order.created", { ...dataOf("order.created.json"), storefront_id: 99 }))).not.toHaveProperty("storefront_id");
  });

  it("replaces variants only when the data lists them", () => {
    expect(only(mapGeneric("product.updated", dataOf("product.updated.json")), "upsert_product")).toMatchObject({ variants: [], replaceVariants: false });
    const variants = [{ external_variant_id: "808950810", sku: "IPOD2008PINK", option1_name: "Color", option1_value: "Pink", price: "199.00" }];
    const action = only(mapGeneric("product.updated", { ...dataOf("product.updated.json"), variants }), "upsert_product");
    expect(action).toMatchObject({ variants, replaceVariants: true });
    expect(action.body).not.toHaveProperty("variants");
  });

  it("sets inventory by product, variant and sku", () => {
    expect(mapGeneric("inventory.updated", dataOf("inventory.updated.json"))).toEqual([
      { type: "set_inventory", external_product_id: "632910392", external_variant_id: "808950810", sku: "IPOD2008PINK", inventory_quantity: 9 },
    ]);
  });
});

describe("unreadable payloads and unknown topics", () => {
  it.each([
    ["shopify", () => mapShopify("orders/create", "not json object")],
    ["shopify array", () => mapShopify("products/update", [])],
    ["woocommerce", () => mapWooCommerce("order.created", null)],
    ["generic", () => mapGeneric("order.created", 42)],
  ])("%s: a payload that is not an object is refused", (_name, map) => {
    expect(map).toThrow(UnreadablePayloadError);
  });

  it.each([
    ["orders/create", "id"],
    ["refunds/create", "id"],
    ["products/update", "id"],
    ["products/delete", "id"],
    ["inventory_levels/update", "inventory_item_id"],
    ["customers/create", "id"],
    ["checkouts/update", "token"],
  ])("Shopify %s without %s is refused, naming the field", (topic, field) => {
    expect(() => mapShopify(topic, { name: "#1001" })).toThrow(expect.objectContaining({ name: "UnreadablePayloadError", field }));
  });

  it("refuses a refund without its order id", () => {
    const body = bodyOf("shopify", "refunds-create.json");
    delete body.order_id;
    expect(() => mapShopify("refunds/create", body)).toThrow(expect.objectContaining({ field: "order_id" }));
  });

  it.each(["order.created", "product.updated", "product.deleted", "customer.created"])("WooCommerce %s without id is refused", (topic) => {
    expect(() => mapWooCommerce(topic, { name: "x" })).toThrow(expect.objectContaining({ name: "UnreadablePayloadError", field: "id" }));
  });

  it.each([
    ["order.updated", {}, "external_order_id"],
    ["product.created", { product_name: "x", price: "1.00" }, "external_product_id"],
    ["inventory.updated", { external_product_id: "1", inventory_quantity: -1 }, "inventory_quantity"],
    ["inventory.updated", { inventory_quantity: 3 }, "external_product_id"],
  ])("generic %s with %j is refused, naming %s", (event, data, field) => {
    expect(() => mapGeneric(event, data)).toThrow(expect.objectContaining({ name: "UnreadablePayloadError", field }));
  });

  it("ignores topics it does not handle, with the topic as reason", () => {
    expect(mapShopify("app/uninstalled", {})).toEqual([{ type: "ignore", reason: "Shopify topic app/uninstalled is not handled" }]);
    expect(mapWooCommerce("coupon.created", { id: 1 })).toEqual([{ type: "ignore", reason: "WooCommerce topic coupon.created is not handled" }]);
    expect(mapGeneric("customer.created", {})).toEqual([{ type: "ignore", reason: "event customer.created is not handled" }]);
  });
});
