import * as v from "valibot";
import { afterEach, describe, expect, it } from "vitest";
import { connectorFor, CredentialsRejected, RateLimited } from "../../shared/connectors/connector";
import type { WooCommerceConnector, WooCommerceOptions } from "../../shared/connectors/woocommerce";
import type { ConnectorDeps } from "../../shared/connectors/connector";
import { importOrderBody } from "../../shared/schemas/order";
import { upsertProductBody } from "../../shared/schemas/product";
import { createVariantBody } from "../../shared/schemas/variant";
import { startWooCommerceSimulator, type WooCommerceSimulator, type WooCommerceSimulatorOptions } from "../../infra/local/platforms/woocommerce-simulator";
import { collect, countingCipher, fakeClock, storefrontRecord } from "./support";

const KEY = "ck_test_key_0001";
const SECRET = "cs_test_secret_0001";

const wooProduct = (id: number, modified: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Product ${id}`,
  slug: `product-${id}`,
  type: "simple",
  status: "publish",
  featured: false,
  description: "<p>Nice</p>",
  short_description: "",
  sku: `W-${id}`,
  price: "12.50",
  regular_price: "12.50",
  sale_price: "",
  on_sale: false,
  manage_stock: true,
  stock_quantity: 5,
  backorders: "no",
  low_stock_amount: null,
  weight: "0.5",
  dimensions: { length: "", width: "", height: "" },
  categories: [{ id: 9, name: "Shirts", slug: "shirts" }],
  tags: [],
  images: [],
  variations: [],
  date_modified_gmt: modified,
  ...overrides,
});

const wooVariation = (id: number, size: string) => ({
  id,
  sku: `W-V-${id}`,
  price: "15.00",
  regular_price: "18.00",
  sale_price: "15.00",
  on_sale: true,
  purchasable: true,
  manage_stock: true,
  stock_quantity: 3,
  weight: "",
  image: null,
  attributes: [{ id: 1, name: "Size", option: size }],
  date_modified_gmt: "2024-01-01T00:00:00",
});

const wooOrder = (id: number, status: string, modified: string) => ({
  id,
  number: String(id),
  status,
  currency: "EUR",
  date_created_gmt: "2024-02-01T10:00:00",
  date_modified_gmt: modified,
  date_paid_gmt: status === "processing" ? "2024-02-01T10:05:00" : null,
  discount_total: "0.00",
  shipping_total: "4.00",
  total_tax: "0.00",
  total: "29.00",
  customer_id: 12,
  billing: { first_name: "Bo", last_name: "Ek", email: "bo@example.com", phone: "", address_1: "", address_2: "", city: "", state: "", postcode: "", country: "SE", company: "" },
  shipping: { first_name: "Bo", last_name: "Ek", address_1: "", address_2: "", city: "", state: "", postcode: "", country: "SE", company: "", phone: "" },
  payment_method: "bacs",
  payment_method_title: "Bank transfer",
  transaction_id: "",
  customer_note: "",
  line_items: [{ id: 1, name: "Product 1", product_id: 1, variation_id: 0, quantity: 2, subtotal: "25.00", total: "25.00", total_tax: "0.00", sku: "W-1", price: 12.5 }],
  shipping_lines: [{ id: 2, method_title: "Flat rate", total: "4.00" }],
  fee_lines: [],
  refunds: [],
});

let simulator: WooCommerceSimulator;

async function start(options: Partial<WooCommerceSimulatorOptions> = {}) {
  simulator = await startWooCommerceSimulator({ consumerKey: KEY, consumerSecret: SECRET, ...options });
}

async function connector(overrides: Partial<WooCommerceOptions> = {}, deps: ConnectorDeps = {}, secret = SECRET): Promise<WooCommerceConnector> {
  const storefront = await storefrontRecord("woocommerce", simulator.url, { api_key: KEY, api_secret: secret });
  return connectorFor(storefront as typeof storefront & { platform_type: "woocommerce" }, { cipher: countingCipher(), woocommerce: overrides, ...deps });
}

afterEach(async () => {
  await simulator?.stop();
});

describe("the WooCommerce connector", () => {
  it("lists products across pages, with each variable product's variations", async () => {
    await start();
    simulator.seedProducts(
      ...[1, 2, 3, 4].map((id) => wooProduct(id, `2024-01-0${id}T00:00:00`)),
      wooProduct(5, "2024-01-05T00:00:00", { type: "variable", sku: "", price: "15.00", manage_stock: false, stock_quantity: null, variations: [51, 52] }),
    );
    simulator.seedVariations(5, wooVariation(51, "S"), wooVariation(52, "M"));
    const woo = await connector({ pageSize: 2 });
    const pages = await collect(woo.listProductsSince(null));
    expect(pages.map((page) => page.map((item) => item.body.external_product_id))).toEqual([["1", "2"], ["3", "4"], ["5"]]);
    expect(pages[0]![0]!.body).toMatchObject({ external_product_id: "1", product_name: "Product 1", price: "12.50", inventory_quantity: 5, external_sku: "W-1" });
    const variable = pages[2]![0]!;
    expect(variable.replaceVariants).toBe(true);
    expect(variable.variants).toEqual([
      expect.objectContaining({ external_variant_id: "51", sku: "W-V-51", variant_name: "S", option1_name: "Size", option1_value: "S", price: "15.00", compare_at_price: "18.00", inventory_quantity: 3 }),
      expect.objectContaining({ external_variant_id: "52", variant_name: "M", option1_value: "M" }),
    ]);
    for (const item of pages.flat()) {
      v.parse(upsertProductBody, { ...item.body, storefront_id: 7 });
      for (const variant of item.variants) v.parse(createVariantBody, variant);
    }
    expect(simulator.requestLog.filter((line) => line.startsWith("GET /wp-json/wc/v3/products?"))).toHaveLength(3);
  });

  it("lists only what changed after the given time", async () => {
    await start();
    simulator.seedProducts(wooProduct(1, "2024-01-01T00:00:00"), wooProduct(2, "2024-03-01T00:00:00"));
    simulator.seedOrders(wooOrder(10, "processing", "2024-01-01T00:00:00"), wooOrder(11, "completed", "2024-03-02T00:00:00"));
    const woo = await connector();
    expect((await collect(woo.listProductsSince("2024-02-01T00:00:00Z"))).flat().map((item) => item.body.external_product_id)).toEqual(["2"]);
    expect((await collect(woo.listOrdersSince("2024-02-01T00:00:00Z"))).flat().map((item) => item.body.external_order_id)).toEqual(["11"]);
    expect(simulator.requestLog.some((line) => line.includes("modified_after=2024-02-01T00%3A00%3A00Z") && line.includes("dates_are_gmt=true"))).toBe(true);
  });

  it("imports orders (not draft checkouts) and customers as hub bodies", async () => {
    await start();
    simulator.seedOrders(wooOrder(10, "processing", "2024-02-01T11:00:00"), wooOrder(11, "checkout-draft", "2024-02-01T11:00:00"));
    simulator.seedCustomers({ id: 12, email: "bo@example.com", first_name: "Bo", last_name: "Ek", billing: { phone: "+4612345" }, date_modified_gmt: "2024-02-01T00:00:00" });
    const woo = await connector();
    const orders = (await collect(woo.listOrdersSince(null))).flat();
    expect(orders.map((order) => order.body.external_order_id)).toEqual(["10"]);
    expect(orders[0]!.body).toMatchObject({ customer_email: "bo@example.com", order_status: "confirmed", payment_status: "paid", subtotal_amount: "25.00", total_amount: "29.00", currency: "EUR" });
    v.parse(importOrderBody, { ...orders[0]!.body, storefront_id: 7 });
    const customers = (await collect(woo.listCustomers())).flat();
    expect(customers.map((customer) => customer.body)).toEqual([
      { external_customer_id: "12", email: "bo@example.com", first_name: "Bo", last_name: "Ek", phone: "+4612345", updated_at: "2024-02-01T00:00:00Z" },
    ]);
  });

  it("rejects a wrong secret with WooCommerce's own message", async () => {
    await start();
    const woo = await connector({}, {}, "cs_wrong");
    const error = await woo.testConnection().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialsRejected);
    expect((error as CredentialsRejected).platformMessage).toBe("Consumer secret is invalid.");
    expect((error as Error).message).not.toContain("cs_wrong");
  });

  it("waits as long as Retry-After asks on a 429, then carries on", async () => {
    const clock = fakeClock();
    await start({ rateLimit: { requests: 2, windowMs: 1000, retryAfterSeconds: 1 }, now: clock.now });
    simulator.seedProducts(...[1, 2, 3].map((id) => wooProduct(id, "2024-01-01T00:00:00")));
    const woo = await connector({ pageSize: 1 }, { clock });
    const pages = await collect(woo.listProductsSince(null));
    expect(pages.flat().map((item) => item.body.external_product_id)).toEqual(["1", "2", "3"]);
    expect(simulator.counters.rateLimited).toBe(1);
    expect(woo.counters).toEqual({ calls: 4, rateLimited: 1, waitMs: 1000 });
    expect(clock.slept).toEqual([1000]);
  });

  it("gives up with RateLimited when Retry-After is longer than it will wait", async () => {
    const clock = fakeClock();
    await start({ rateLimit: { requests: 0, windowMs: 3_600_000, retryAfterSeconds: 3600 }, now: clock.now });
    const woo = await connector({}, { clock });
    const error = await woo.testConnection().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterMs).toBe(3_600_000);
    expect(clock.slept).toEqual([]);
  });

  it("sets stock through the batch endpoints, 100 at most per request, with an error per refused item", async () => {
    await start();
    simulator.seedProducts(...Array.from({ length: 150 }, (_, index) => wooProduct(index + 1, "2024-01-01T00:00:00")), wooProduct(500, "2024-01-01T00:00:00", { type: "variable", sku: "" }));
    simulator.seedVariations(500, wooVariation(501, "S"), wooVariation(502, "M"));
    const woo = await connector();
    const levels = [
      ...Array.from({ length: 150 }, (_, index) => ({ external_product_id: String(index + 1), quantity: index })),
      { external_product_id: "500", external_variant_id: "501", quantity: 7 },
      { sku: "W-V-502", quantity: 8 },
      { external_product_id: "9999", quantity: 1 },
      { sku: "NOPE", quantity: 1 },
    ];
    const results = await woo.setInventoryLevels(levels);
    expect(results.filter((result) => !result.ok)).toEqual([
      { level: levels[152], ok: false, error: "Invalid ID." },
      { level: levels[153], ok: false, error: "unknown SKU NOPE" },
    ]);
    expect(simulator.batchSizes).toEqual([100, 51, 2]);
    expect(simulator.stockUpdates).toHaveLength(152);
    expect(simulator.products.get(150)!.stock_quantity).toBe(149);
    expect(simulator.variation(500, 501)!.stock_quantity).toBe(7);
    expect(simulator.variation(500, 502)!.stock_quantity).toBe(8);
  });
});
