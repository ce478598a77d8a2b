import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectorFor, CredentialsRejected } from "../../shared/connectors/connector";
import type { ShopifyConnector, ShopifyOptions } from "../../shared/connectors/shopify";
import { PRODUCTS_QUERY } from "../../shared/connectors/shopify-queries";
import { pageSizeWithinCost, requestedQueryCost } from "../../shared/connectors/shopify-query-cost";
import { importOrderBody } from "../../shared/schemas/order";
import { upsertProductBody } from "../../shared/schemas/product";
import { createVariantBody } from "../../shared/schemas/variant";
import { startShopifySimulator, type ShopifyProductSeed, type ShopifySimulator, type ShopifySimulatorOptions } from "../../infra/local/platforms/shopify-simulator";
import { collect, countingCipher, storefrontRecord } from "./support";

const TOKEN = "shpat_test_token_0001";

function product(id: number, updatedAt: string, variantCount = 1): ShopifyProductSeed {
  const variants = Array.from({ length: variantCount }, (_, index) => ({
    id: id * 1000 + index,
    title: variantCount === 1 ? "Default Title" : `Size ${index + 1}`,
    sku: `SKU-${id}-${index}`,
    price: "19.99",
    compareAtPrice: index === 0 ? "24.99" : null,
    inventoryItemId: id * 1000 + 500 + index,
    selectedOptions: [{ name: variantCount === 1 ? "Title" : "Size", value: variantCount === 1 ? "Default Title" : `Size ${index + 1}` }],
  }));
  return {
    id,
    title: `Product ${id}`,
    handle: `product-${id}`,
    descriptionHtml: "<p>Nice</p>",
    vendor: "Ocean",
    productType: "Shirts",
    tags: ["summer", "sale"],
    updatedAt,
    images: [{ id: id * 10, url: `https://cdn.example.com/${id}.png` }],
    options: [{ name: variantCount === 1 ? "Title" : "Size", position: 1 }],
    variants,
  };
}

let simulator: ShopifySimulator;

async function start(options: Partial<ShopifySimulatorOptions> = {}) {
  simulator = await startShopifySimulator({ accessToken: TOKEN, ...options });
}

async function connector(overrides: Partial<ShopifyOptions> = {}, token = TOKEN): Promise<ShopifyConnector> {
  const storefront = await storefrontRecord("shopify", simulator.url, { api_token: token });
  return connectorFor(storefront as typeof storefront & { platform_type: "shopify" }, { cipher: countingCipher(), shopify: overrides });
}

afterEach(async () => {
  await simulator?.stop();
});

describe("the Shopify connector", () => {
  // A fast restore keeps these tests from waiting; the throttle tests below use small buckets.
  beforeEach(() => start({ restoreRate: 100_000 }));

  it("decrypts the token only when a call is made, and tests the connection", async () => {
    const cipher = countingCipher();
    const storefront = await storefrontRecord("shopify", simulator.url, { api_token: TOKEN });
    const shopify = connectorFor(storefront, { cipher });
    expect(cipher.decrypted).toEqual([]);
    expect(await shopify.testConnection()).toEqual({ platform: "shopify", shop_name: "Simulated Shop", currency: "USD" });
    await shopify.testConnection();
    expect(cipher.decrypted).toEqual(["api_token"]);
  });

  it("rejects a wrong token with Shopify's own message", async () => {
    const shopify = await connector({}, "shpat_wrong");
    const error = await shopify.testConnection().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialsRejected);
    expect((error as CredentialsRejected).status).toBe(401);
    expect((error as CredentialsRejected).platformMessage).toBe("[API] Invalid API key or access token (unrecognized login or wrong password)");
    expect((error as Error).message).not.toContain("shpat_wrong");
    expect(simulator.counters.unauthorized).toBe(1);
  });

  it("lists every product across pages, with variants past the first nested page, as upsert bodies", async () => {
    simulator.seedProducts(...[1, 2, 3, 4, 5, 6].map((id) => product(id, `2024-01-0${id}T10:00:00Z`)), product(7, "2024-01-07T10:00:00Z", 3));
    const shopify = await connector({ productPageSize: 3, variantsPerProduct: 2 });
    const pages = await collect(shopify.listProductsSince(null));
    expect(pages.map((page) => page.map((item) => item.body.external_product_id))).toEqual([["1", "2", "3"], ["4", "5", "6"], ["7"]]);
    const withSizes = pages[2]![0]!;
    expect(withSizes.replaceVariants).toBe(true);
    expect(withSizes.variants.map((variant) => [variant.external_variant_id, variant.sku, variant.option1_name, variant.option1_value, variant.inventory_item_id])).toEqual([
      ["7000", "SKU-7-0", "Size", "Size 1", "7500"],
      ["7001", "SKU-7-1", "Size", "Size 2", "7501"],
      ["7002", "SKU-7-2", "Size", "Size 3", "7502"],
    ]);
    expect(simulator.counters.byRoot.product).toBe(1);
    const first = pages[0]![0]!;
    expect(first.body).toMatchObject({
      external_product_id: "1",
      product_name: "Product 1",
      product_slug: "product-1",
      price: "19.99",
      compare_at_price: "24.99",
      external_sku: "SKU-1-0",
      tags: ["summer", "sale"],
      image_urls: ["https://cdn.example.com/1.png"],
      is_published: true,
      updated_at: "2024-01-01T10:00:00Z",
    });
    for (const item of pages.flat()) {
      v.parse(upsertProductBody, { ...item.body, storefront_id: 7 });
      for (const { inventory_item_id: _item, ...variant } of item.variants) v.parse(createVariantBody, variant);
    }
  });

  it("lists only the products updated since the given time", async () => {
    simulator.seedProducts(product(1, "2024-01-01T00:00:00Z"), product(2, "2024-03-01T00:00:00Z"), product(3, "2024-05-01T00:00:00Z"));
    const shopify = await connector();
    const pages = await collect(shopify.listProductsSince("2024-02-15T00:00:00Z"));
    expect(pages.flat().map((item) => item.body.external_product_id)).toEqual(["2", "3"]);
  });

  it("shrinks a page that would cost more than Shopify accepts in one query", async () => {
    const wanted = { query: null, variantsFirst: 100 };
    const size = pageSizeWithinCost(PRODUCTS_QUERY, wanted, "first", 250);
    expect(size).toBe(3);
    expect(requestedQueryCost(PRODUCTS_QUERY, { ...wanted, first: size })).toBe(953);
    simulator.seedProducts(...[1, 2, 3, 4].map((id) => product(id, "2024-01-01T00:00:00Z")));
    const shopify = await connector();
    const pages = await collect(shopify.listProductsSince(null));
    expect(pages.map((page) => page.length)).toEqual([3, 1]);
    expect(shopify.counters.requestedCost).toBe(953 * 2);
  });

  it("imports orders and customers as hub bodies", async () => {
    simulator.seedOrders({
      id: 9001,
      name: "#1001",
      email: "ann@example.com",
      createdAt: "2024-02-01T09:00:00Z",
      updatedAt: "2024-02-02T09:00:00Z",
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "UNFULFILLED",
      currencyCode: "USD",
      totalPrice: "25.00",
      totalTax: "2.00",
      totalShipping: "3.00",
      customer: { id: 55, firstName: "Ann", lastName: "Lee", email: "ann@example.com" },
      lineItems: [{ id: 1, title: "Product 1", sku: "SKU-1-0", quantity: 2, price: "10.00", productId: 1, variantId: 1000, tax: "2.00" }],
      shippingLines: [{ title: "Standard", price: "3.00" }],
    });
    simulator.seedCustomers({ id: 55, email: "ann@example.com", firstName: "Ann", lastName: "Lee", updatedAt: "2024-02-01T00:00:00Z", marketingState: "SUBSCRIBED" });
    const shopify = await connector();
    const [orders] = await collect(shopify.listOrdersSince(null));
    const order = orders![0]!.body;
    expect(order).toMatchObject({
      external_order_id: "9001",
      external_order_name: "#1001",
      customer_email: "ann@example.com",
      order_status: "confirmed",
      payment_status: "paid",
      subtotal_amount: "20.00",
      shipping_amount: "3.00",
      tax_amount: "2.00",
      total_amount: "25.00",
    });
    expect(order.line_items).toEqual([expect.objectContaining({ external_product_id: "1", external_variant_id: "1000", unit_price: "10.00", total_amount: "20.00", quantity: 2 })]);
    v.parse(importOrderBody, { ...order, storefront_id: 7 });
    const [customers] = await collect(shopify.listCustomers());
    expect(customers!.map((customer) => customer.body)).toEqual([
      { external_customer_id: "55", email: "ann@example.com", first_name: "Ann", last_name: "Lee", phone: null, accepts_marketing: true, tags: [], notes: null, updated_at: "2024-02-01T00:00:00Z" },
    ]);
  });

  it("sets stock in mutations of up to 250 quantities, with an error per item it could not set", async () => {
    simulator.seedProducts(product(1, "2024-01-01T00:00:00Z", 260), product(2, "2024-01-01T00:00:00Z"), product(3, "2024-01-01T00:00:00Z"));
    const shopify = await connector();
    const levels = [
      { inventory_item_id: "999999", quantity: 4 },
      ...Array.from({ length: 260 }, (_, index) => ({ inventory_item_id: String(1500 + index), quantity: index })),
      { sku: "SKU-2-0", quantity: 11 },
      { external_variant_id: "3000", quantity: 12 },
      { sku: "NOPE", quantity: 1 },
    ];
    const results = await shopify.setInventoryLevels(levels);
    expect(results).toHaveLength(264);
    expect(results[0]).toEqual({ level: levels[0], ok: false, error: "The specified inventory item could not be found." });
    expect(results[263]).toEqual({ level: levels[263], ok: false, error: "unknown SKU NOPE" });
    expect(results.filter((result) => result.ok)).toHaveLength(262);
    // The refused quantity holds back its whole batch once: 250 refused, 249 sent again, then the last 13.
    expect(simulator.mutationBatchSizes).toEqual([250, 249, 13]);
    expect(simulator.inventoryUpdates).toHaveLength(262);
    expect(simulator.levelOf(1759)).toBe(259);
    expect(simulator.levelOf(2500)).toBe(11);
    expect(simulator.levelOf(3500)).toBe(12);
    expect(simulator.inventoryUpdates[0]).toEqual({ inventoryItemId: "gid://shopify/InventoryItem/1500", locationId: "gid://shopify/Location/1", quantity: 0 });
  });
});

describe("the Shopify connector's throttle budget", () => {
  it("waits for the bucket to refill before a query it cannot afford, without being throttled", async () => {
    await start({ maximumAvailable: 60, restoreRate: 400 });
    simulator.seedProducts(...[1, 2, 3, 4, 5, 6].map((id) => product(id, "2024-01-01T00:00:00Z")));
    const shopify = await connector({ productPageSize: 2, variantsPerProduct: 2 });
    const cost = requestedQueryCost(PRODUCTS_QUERY, { first: 2, variantsFirst: 2, query: null });
    expect(cost).toBe(48);
    const pages = await collect(shopify.listProductsSince(null));
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2]);
    expect(simulator.counters.throttled).toBe(0);
    expect(shopify.counters.calls).toBe(3);
    expect(shopify.counters.throttleWaits).toBe(2);
    // First wait: 48 needed, 12 left, 36 points at 400/s; none longer than a whole query's worth.
    expect(shopify.counters.waitMs).toBeGreaterThanOrEqual(90);
    expect(shopify.counters.waitMs).toBeLessThanOrEqual(2 * Math.ceil((cost / 400) * 1000));
  });

  it("waits out a THROTTLED answer and retries", async () => {
    await start({ maximumAvailable: 100, restoreRate: 500 });
    simulator.seedProducts(product(1, "2024-01-01T00:00:00Z"));
    simulator.drainBucket(0);
    const shopify = await connector({ productPageSize: 2, variantsPerProduct: 2 });
    const pages = await collect(shopify.listProductsSince(null));
    expect(pages.flat().map((item) => item.body.external_product_id)).toEqual(["1"]);
    expect(simulator.counters.throttled).toBe(1);
    expect(shopify.counters.throttledResponses).toBe(1);
    expect(shopify.counters.throttleWaits).toBe(1);
    expect(shopify.counters.calls).toBe(2);
  });

  it("shrinks its pages to the bucket's size once Shopify has told it", async () => {
    await start({ maximumAvailable: 100, restoreRate: 1000 });
    simulator.seedProducts(...[1, 2, 3, 4, 5].map((id) => product(id, "2024-01-01T00:00:00Z")));
    const shopify = await connector({ variantsPerProduct: 2 });
    const pages = await collect(shopify.listProductsSince(null));
    // 2 + 4 × 23 = 94 fits a bucket of 100; the first, unsized query (page of 43) was throttled once.
    expect(pages.map((page) => page.length)).toEqual([4, 1]);
    expect(simulator.counters.throttled).toBe(1);
  });
});
