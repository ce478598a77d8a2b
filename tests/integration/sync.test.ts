/**
 * Platform sync against the WooCommerce simulator, reached over loopback by
 * the real connector: the schedule (with a clock the test moves) and the
 * worker, the sync-runs API, a sync asked for through the API, and inventory
 * pushed to and taken from the platform.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { startTestStack, type TestStack } from "../support/test-stack";
import { startWooCommerceSimulator, type WooCommerceSimulator } from "../../infra/local/platforms/woocommerce-simulator";
import { FailingProxy } from "../simulators/failing-proxy";
import type { SQSRecord } from "aws-lambda";
import { processSyncMessages } from "../../shared/sync/worker";
import { startShopifySimulator, type ShopifyProductSeed, type ShopifySimulator } from "../../infra/local/platforms/shopify-simulator";

const KEY = "ck_sync_key_0001";
const SECRET = "cs_sync_secret_0001";
const MINUTE = 60_000;

let hub: TestStack;
let clock = new Date("2024-06-01T00:00:00.000Z");
const simulators: (WooCommerceSimulator | ShopifySimulator)[] = [];
const proxies: FailingProxy[] = [];
const storefronts: number[] = [];
/**
 * A SKU is one ERP stock on every storefront listing it: each test's
 * platforms get SKUs of their own, so that no test's stock reaches another's.
 */
let skuPrefix = "";
beforeEach(() => {
  skuPrefix = randomUUID().slice(0, 8);
});

const wooProduct = (id: number, modified: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Product ${id}`,
  slug: `product-${id}`,
  type: "simple",
  status: "publish",
  featured: false,
  description: "",
  short_description: "",
  sku: `W-${skuPrefix}-${id}`,
  price: "12.50",
  regular_price: "12.50",
  sale_price: "",
  on_sale: false,
  manage_stock: true,
  stock_quantity: 5,
  backorders: "no",
  low_stock_amount: 5,
  weight: "",
  dimensions: { length: "", width: "", height: "" },
  categories: [],
  tags: [],
  images: [],
  variations: [],
  date_modified_gmt: modified,
  ...overrides,
});

const wooVariation = (id: number, size: string, stock: number) => ({
  id,
  sku: `W-V-${skuPrefix}-${id}`,
  price: "15.00",
  regular_price: "15.00",
  sale_price: "",
  on_sale: false,
  purchasable: true,
  manage_stock: true,
  stock_quantity: stock,
  weight: "",
  image: null,
  attributes: [{ id: 1, name: "Size", option: size }],
  date_modified_gmt: "2024-05-01T00:00:00",
});

async function simulator(): Promise<WooCommerceSimulator> {
  const started = await startWooCommerceSimulator({ consumerKey: KEY, consumerSecret: SECRET });
  simulators.push(started);
  return started;
}

/** A WooCommerce storefront pointing at `endpoint`, syncing products only unless told otherwise. */
async function wooStorefront(endpoint: string, overrides: Record<string, unknown> = {}) {
  const storefront = await hub.createStorefront({
    platform_type: "woocommerce",
    api_endpoint: endpoint,
    api_key: KEY,
    api_secret: SECRET,
    auto_sync_orders: false,
    auto_sync_customers: false,
    ...overrides,
  });
  storefronts.push(storefront.storefront_id);
  return storefront;
}

async function fireSchedule(at: Date) {
  clock = at;
  await hub.scheduler.fire("sync-schedule");
  await hub.drain();
}

async function runsOf(storefrontId: number, query = "") {
  const response = await hub.call("GET", `/api/ecommerce/sync-runs?storefront_id=${storefrontId}${query}`, { key: hub.keys.viewer });
  expect(response.status).toBe(200);
  return response.body;
}

const storefrontOf = async (id: number) => (await hub.call("GET", `/api/ecommerce/storefronts/${id}`)).body.storefront;

async function productsOf(storefrontId: number) {
  const response = await hub.call("GET", `/api/ecommerce/products?storefront_id=${storefrontId}&limit=200`);
  expect(response.status).toBe(200);
  return new Map<string, any>(response.body.products.map((product: any) => [product.external_product_id, product]));
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  hub = await startTestStack({ clock: () => clock });
});

afterEach(async () => {
  // Storefronts of finished tests stop syncing: their simulators are gone.
  for (const id of storefronts.splice(0)) await hub.call("PUT", `/api/ecommerce/storefronts/${id}`, { json: { is_active: false } });
  await Promise.all([...simulators.splice(0).map((started) => started.stop()), ...proxies.splice(0).map((proxy) => proxy.stop())]);
});

afterAll(async () => {
  await hub?.stop();
});

describe("the scheduled product sync", () => {
  it("pulls every product first, then only what changed since the cursor less the overlap", async () => {
    const woo = await simulator();
    woo.seedProducts(wooProduct(1, "2024-05-01T00:00:00", { stock_quantity: 5 }), wooProduct(2, "2024-05-02T00:00:00", { stock_quantity: 7 }));
    const storefront = await wooStorefront(woo.url);

    await fireSchedule(new Date("2024-06-01T00:00:00.000Z"));

    const first = await runsOf(storefront.storefront_id);
    expect(first.runs).toHaveLength(1);
    expect(first.runs[0]).toMatchObject({
      kind: "products",
      source: "schedule",
      status: "succeeded",
      since: null,
      attempts: 1,
      items_seen: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      failed: 0,
      errors: [],
      requested_at: "2024-06-01T00:00:00.000Z",
    });
    expect((await storefrontOf(storefront.storefront_id)).last_product_sync_at).toBe("2024-06-01T00:00:00.000Z");
    let products = await productsOf(storefront.storefront_id);
    expect([...products.keys()].sort()).toEqual(["1", "2"]);
    expect(products.get("1").inventory_quantity).toBe(5);
    expect(products.get("2").inventory_quantity).toBe(7);

    // Product 2 changes and product 3 appears; product 1 is older than the overlap window.
    Object.assign(woo.products.get(2)!, { stock_quantity: 9, name: "Product 2 renamed", date_modified_gmt: "2024-06-01T00:10:00" });
    woo.seedProducts(wooProduct(3, "2024-06-01T00:12:00", { stock_quantity: 3 }));
    // Not due yet (sync_frequency_minutes is 15): nothing is queued.
    await fireSchedule(new Date("2024-06-01T00:14:00.000Z"));
    expect((await runsOf(storefront.storefront_id)).runs).toHaveLength(1);

    await fireSchedule(new Date("2024-06-01T00:15:00.000Z"));

    const second = await runsOf(storefront.storefront_id);
    expect(second.runs).toHaveLength(2);
    expect(second.runs[0]).toMatchObject({
      status: "succeeded",
      since: "2024-05-31T23:50:00.000Z",
      items_seen: 2,
      created: 1,
      updated: 1,
      unchanged: 0,
      requested_at: "2024-06-01T00:15:00.000Z",
    });
    // Started (by the hub's clock, not the test's) and finished, in that order.
    expect(Date.parse(second.runs[0].started_at)).toBeLessThanOrEqual(Date.parse(second.runs[0].finished_at));
    expect(woo.requestLog.filter((line) => line.startsWith("GET /wp-json/wc/v3/products?")).at(-1)).toContain("modified_after=2024-05-31T23%3A50%3A00.000Z");
    expect((await storefrontOf(storefront.storefront_id)).last_product_sync_at).toBe("2024-06-01T00:15:00.000Z");
    products = await productsOf(storefront.storefront_id);
    expect(products.size).toBe(3);
    expect(products.get("2")).toMatchObject({ product_name: "Product 2 renamed", inventory_quantity: 9 });
    expect(products.get("3").inventory_quantity).toBe(3);
  });

  it("leaves the cursor where it was when a page fails, and moves it once a retry succeeds", async () => {
    const woo = await simulator();
    woo.seedProducts(...Array.from({ length: 101 }, (_, index) => wooProduct(index + 1, "2024-05-01T00:00:00")));
    const proxy = await new FailingProxy(woo.url).start();
    proxies.push(proxy);
    proxy.fail({
      matches: (line) => line.startsWith("GET /wp-json/wc/v3/products?") && line.includes("page=2&"),
      status: 400,
      body: { code: "rest_invalid_param", message: "Invalid parameter(s): page", data: { status: 400 } },
      times: 1,
    });
    const storefront = await wooStorefront(proxy.url);

    clock = new Date("2024-07-01T00:00:00.000Z");
    await hub.scheduler.fire("sync-schedule");
    const failed = await waitFor(
      async () => (await runsOf(storefront.storefront_id)).runs[0],
      (run) => run?.last_error !== null && run?.last_error !== undefined,
      // A first page of 100 new products, each also listed for the stock push, on a busy machine.
      30_000,
    );
    expect(failed).toMatchObject({ status: "running", attempts: 1, items_seen: 100, created: 100 });
    expect(failed.last_error).toBe("woocommerce answered 400: Invalid parameter(s): page");
    expect(proxy.failed).toHaveLength(1);
    expect((await storefrontOf(storefront.storefront_id)).last_product_sync_at).toBeNull();

    await hub.drain();

    const [retried] = (await runsOf(storefront.storefront_id)).runs;
    expect(retried).toMatchObject({ status: "succeeded", attempts: 2, items_seen: 101, created: 1, unchanged: 100, last_error: null });
    expect((await storefrontOf(storefront.storefront_id)).last_product_sync_at).toBe("2024-07-01T00:00:00.000Z");
    expect((await productsOf(storefront.storefront_id)).size).toBe(101);
  });

  it("marks the run failed on the queue's last try, and queues a new run at the next due tick", { timeout: 60_000 }, async () => {
    const woo = await simulator();
    woo.seedProducts(wooProduct(1, "2024-05-01T00:00:00"));
    const proxy = await new FailingProxy(woo.url).start();
    proxies.push(proxy);
    // Created (and its connection tested) before the platform starts failing.
    const storefront = await wooStorefront(proxy.url);
    expect(storefront.connection_status).toBe("connected");
    proxy.fail({
      matches: (line) => line.startsWith("GET /wp-json/wc/v3/products?"),
      status: 404,
      body: { code: "rest_no_route", message: "No route was found matching the URL and request method.", data: { status: 404 } },
      times: 100,
    });

    clock = new Date("2024-09-01T00:00:00.000Z");
    await hub.scheduler.fire("sync-schedule");
    // Backoff of 2, 4 and 8 seconds between the four receives.
    await hub.drain(40_000);

    const [failed] = (await runsOf(storefront.storefront_id)).runs;
    expect(failed).toMatchObject({ status: "failed", attempts: 4, items_seen: 0, last_error: "woocommerce answered 404: No route was found matching the URL and request method." });
    expect(failed.finished_at).toEqual(expect.any(String));
    expect(proxy.failed).toHaveLength(4);
    // A failing run leaves the connection as it was: only refused credentials change it.
    expect(await storefrontOf(storefront.storefront_id)).toMatchObject({ last_product_sync_at: null, connection_status: "connected" });

    proxy.heal();
    await fireSchedule(new Date("2024-09-01T00:01:00.000Z"));
    const runs = (await runsOf(storefront.storefront_id)).runs;
    expect(runs.map((run: any) => run.status)).toEqual(["succeeded", "failed"]);
    expect(runs[0]).toMatchObject({ since: null, created: 1 });
    expect((await storefrontOf(storefront.storefront_id)).last_product_sync_at).toBe("2024-09-01T00:01:00.000Z");
  });

  it("marks the connection in error when the platform refuses the credentials, and stops scheduling it", async () => {
    const woo = await simulator();
    woo.seedProducts(wooProduct(1, "2024-05-01T00:00:00"));
    const wrongSecret = "cs_wrong_secret_9999";
    // Saved untested (is_connected: false), so that the refusal comes from the sync run.
    const storefront = await wooStorefront(woo.url, { api_secret: wrongSecret, is_connected: false });
    expect(storefront.connection_status).toBe("disconnected");

    await fireSchedule(new Date("2024-08-01T00:00:00.000Z"));

    const listed = await hub.call("GET", `/api/ecommerce/sync-runs?storefront_id=${storefront.storefront_id}`, { key: hub.keys.viewer });
    expect(listed.body.runs).toHaveLength(1);
    expect(listed.body.runs[0]).toMatchObject({ status: "failed", attempts: 1, items_seen: 0, last_error: "woocommerce rejected the credentials (401): Consumer secret is invalid." });
    expect(listed.text).not.toContain(wrongSecret);
    const after = await hub.call("GET", `/api/ecommerce/storefronts/${storefront.storefront_id}`);
    expect(after.body.storefront).toMatchObject({ connection_status: "error", is_connected: false, last_product_sync_at: null });
    expect(after.text).not.toContain(wrongSecret);
    const requests = woo.counters.requests;

    await fireSchedule(new Date("2024-08-02T00:00:00.000Z"));

    expect((await runsOf(storefront.storefront_id)).runs).toHaveLength(1);
    expect(woo.counters.requests).toBe(requests);
  });
});

describe("syncs asked for through the API", () => {
  it("queues the kinds named, answers 202 with the run ids, and lists the runs newest first with filters and a cursor", async () => {
    const woo = await simulator();
    woo.seedProducts(wooProduct(1, "2024-05-01T00:00:00"));
    woo.seedCustomers({ id: 12, email: "bo@example.com", first_name: "Bo", last_name: "Ek", billing: { phone: "" }, date_modified_gmt: "2024-05-01T00:00:00" });
    const storefront = await wooStorefront(woo.url);

    const refused = await hub.call("POST", `/api/ecommerce/storefronts/${storefront.storefront_id}/sync`, { key: hub.keys.viewer, json: {} });
    expect(refused.status).toBe(403);
    const invalid = await hub.call("POST", `/api/ecommerce/storefronts/${storefront.storefront_id}/sync`, { key: hub.keys.operator, json: { kinds: ["stock"] } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].field).toBe("body.kinds.0");

    const queued = await hub.call("POST", `/api/ecommerce/storefronts/${storefront.storefront_id}/sync`, { key: hub.keys.operator, json: { kinds: ["products", "customers"] } });
    expect(queued.status).toBe(202);
    expect(queued.body.runs.map((run: any) => run.kind)).toEqual(["products", "customers"]);
    await hub.drain();

    const all = await runsOf(storefront.storefront_id);
    expect(all.runs).toHaveLength(2);
    expect(new Set(all.runs.map((run: any) => run.run_id))).toEqual(new Set(queued.body.runs.map((run: any) => run.run_id)));
    expect(all.runs.every((run: any) => run.status === "succeeded" && run.source === "api")).toBe(true);
    expect(all.runs.find((run: any) => run.kind === "customers")).toMatchObject({ items_seen: 1, failed: 0 });
    // A redelivered message of a finished run does nothing.
    const requests = woo.counters.requests;
    const redelivery = { messageId: "redelivered", receiptHandle: "unused", body: JSON.stringify({ run_id: all.runs[0].run_id }), attributes: { ApproximateReceiveCount: "2" } };
    expect(await processSyncMessages([redelivery as unknown as SQSRecord])).toEqual({ batchItemFailures: [] });
    expect(woo.counters.requests).toBe(requests);
    expect((await runsOf(storefront.storefront_id)).runs).toEqual(all.runs);
    const customers = await runsOf(storefront.storefront_id, "&kind=customers");
    expect(customers.runs.map((run: any) => run.kind)).toEqual(["customers"]);
    expect((await runsOf(storefront.storefront_id, "&status=failed")).runs).toEqual([]);

    const firstPage = await runsOf(storefront.storefront_id, "&limit=1");
    expect(firstPage.runs).toHaveLength(1);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const secondPage = await runsOf(storefront.storefront_id, `&limit=1&cursor=${firstPage.next_cursor}`);
    expect(secondPage.runs).toHaveLength(1);
    expect(secondPage.runs[0].run_id).not.toBe(firstPage.runs[0].run_id);
    expect(firstPage.runs[0].requested_at >= secondPage.runs[0].requested_at).toBe(true);

    // Without a body: every kind the storefront enables (products only here), from the cursor the first run left.
    const cursor = (await storefrontOf(storefront.storefront_id)).last_product_sync_at;
    expect(cursor).toBe(all.runs.find((run: any) => run.kind === "products").requested_at);
    const byDefault = await hub.call("POST", `/api/ecommerce/storefronts/${storefront.storefront_id}/sync`, { key: hub.keys.operator });
    expect(byDefault.status).toBe(202);
    expect(byDefault.body.runs.map((run: any) => run.kind)).toEqual(["products"]);
    await hub.drain();
    expect((await runsOf(storefront.storefront_id, "&kind=products")).runs[0]).toMatchObject({
      run_id: byDefault.body.runs[0].run_id,
      status: "succeeded",
      since: new Date(Date.parse(cursor) - 10 * MINUTE).toISOString(),
      items_seen: 0,
    });
  });
});

describe("inventory sync", () => {
  it("pushes the hub's stock to the platform and takes the platform's, for some products or all", async () => {
    const woo = await simulator();
    woo.seedProducts(
      wooProduct(1, "2024-05-01T00:00:00", { stock_quantity: 5 }),
      wooProduct(2, "2024-05-01T00:00:00", { stock_quantity: 7 }),
      wooProduct(3, "2024-05-01T00:00:00", { stock_quantity: 20 }),
      wooProduct(4, "2024-05-01T00:00:00", { type: "variable", sku: "", manage_stock: false, stock_quantity: null, variations: [41, 42] }),
    );
    woo.seedVariations(4, wooVariation(41, "S", 2), wooVariation(42, "M", 6));
    const storefront = await wooStorefront(woo.url);
    const sync = (body: Record<string, unknown>) => hub.call("POST", "/api/ecommerce/inventory/sync", { key: hub.keys.operator, json: { storefront_id: storefront.storefront_id, ...body } });
    expect((await hub.call("POST", `/api/ecommerce/storefronts/${storefront.storefront_id}/sync`, { key: hub.keys.operator })).status).toBe(202);
    await hub.drain();
    const ids = new Map([...(await productsOf(storefront.storefront_id))].map(([external, product]) => [external, product.ecommerce_product_id as number]));

    // Some products, erp_to_store: quantities set on the hub, then pushed.
    const some = await sync({
      direction: "erp_to_store",
      product_updates: [
        { ecommerce_product_id: ids.get("1"), inventory_quantity: 30 },
        { external_product_id: "2", inventory_quantity: 0 },
        { external_product_id: "missing" },
      ],
    });
    expect(some.status).toBe(200);
    expect(some.body).toEqual({
      message: "Inventory sync completed",
      updated_count: 2,
      error_count: 1,
      errors: [{ ecommerce_product_id: null, external_product_id: "missing", message: `not a product of storefront ${storefront.storefront_id}` }],
    });
    expect(woo.stockUpdates).toEqual([
      { productId: 1, stock_quantity: 30 },
      { productId: 2, stock_quantity: 0 },
    ]);
    expect(woo.products.get(1)!.stock_quantity).toBe(30);
    expect(woo.products.get(2)!.stock_quantity).toBe(0);
    expect((await hub.call("GET", `/api/ecommerce/products/${ids.get("1")}`)).body).toMatchObject({ inventory_quantity: 30, sync_status: "synced" });

    // Every product, erp_to_store: a hub change reaches the platform, variants one by one.
    const product3 = await hub.call("PUT", `/api/ecommerce/products/${ids.get("3")}`, { json: { inventory_quantity: 4 } });
    expect(product3.status).toBe(200);
    woo.stockUpdates.splice(0);
    const all = await sync({ direction: "erp_to_store", sync_all: true });
    expect(all.body).toMatchObject({ updated_count: 4, error_count: 0, errors: [] });
    expect(woo.products.get(3)!.stock_quantity).toBe(4);
    expect(woo.stockUpdates).toEqual(
      expect.arrayContaining([
        { productId: 1, stock_quantity: 30 },
        { productId: 2, stock_quantity: 0 },
        { productId: 3, stock_quantity: 4 },
        { productId: 4, variationId: 41, stock_quantity: 2 },
        { productId: 4, variationId: 42, stock_quantity: 6 },
      ]),
    );
    expect(woo.stockUpdates).toHaveLength(5);

    await hub.drain();
    const status = await hub.call("GET", `/api/ecommerce/inventory/sync?storefront_id=${storefront.storefront_id}`, { key: hub.keys.viewer });
    expect(status.status).toBe(200);
    const byExternal = new Map(status.body.products.map((product: any) => [product.external_product_id, product]));
    expect(byExternal.get("1")).toMatchObject({ ecommerce_inventory: 30, stock_status: "in_stock", sync_status: "synced", low_stock_threshold: 5 });
    expect(byExternal.get("2")).toMatchObject({ ecommerce_inventory: 0, stock_status: "out_of_stock" });
    expect(byExternal.get("3")).toMatchObject({ ecommerce_inventory: 4, stock_status: "low_stock" });
    expect(byExternal.get("4")).toMatchObject({ ecommerce_inventory: 8 });
    expect(status.body.statistics).toEqual({ total_products: 4, low_stock_count: 1, out_of_stock_count: 1, synced_count: 4, pending_sync_count: 0 });
    expect(status.body.next_cursor).toBeNull();

    // store_to_erp: the platform's quantities come into the hub.
    woo.products.get(1)!.stock_quantity = 11;
    woo.products.get(2)!.stock_quantity = 12;
    woo.variation(4, 42)!.stock_quantity = 1;
    const taken = await sync({ direction: "store_to_erp", product_updates: [{ external_product_id: "1" }] });
    expect(taken.body).toMatchObject({ updated_count: 1, error_count: 0 });
    expect((await hub.call("GET", `/api/ecommerce/products/${ids.get("1")}`)).body.inventory_quantity).toBe(11);
    expect((await hub.call("GET", `/api/ecommerce/products/${ids.get("2")}`)).body.inventory_quantity).toBe(0);

    const takenAll = await sync({ direction: "store_to_erp", sync_all: true });
    expect(takenAll.body).toMatchObject({ updated_count: 4, error_count: 0 });
    expect((await hub.call("GET", `/api/ecommerce/products/${ids.get("2")}`)).body.inventory_quantity).toBe(12);
    const variable = (await hub.call("GET", `/api/ecommerce/products/${ids.get("4")}`)).body;
    expect(variable.inventory_quantity).toBe(3);
    expect(Object.fromEntries(variable.variants.map((variant: any) => [variant.external_variant_id, variant.inventory_quantity]))).toEqual({ "41": 2, "42": 1 });

    const quantityBackwards = await sync({ direction: "store_to_erp", product_updates: [{ external_product_id: "1", inventory_quantity: 3 }] });
    expect(quantityBackwards.status).toBe(400);
  });
});

describe("inventory sync with Shopify", () => {
  const TOKEN = "shpat_sync_token_0001";
  const shopifyProduct = (id: number, sizes: string[]): ShopifyProductSeed => ({
    id,
    title: `Shirt ${id}`,
    handle: `shirt-${id}`,
    updatedAt: "2024-05-01T00:00:00Z",
    options: [{ name: "Size", position: 1 }],
    variants: sizes.map((size, index) => ({
      id: id * 1000 + index,
      title: size,
      sku: `S-${skuPrefix}-${id}-${size}`,
      price: "19.99",
      inventoryItemId: id * 1000 + 500 + index,
      selectedOptions: [{ name: "Size", value: size }],
    })),
  });

  it("takes the platform's levels per variant and pushes the hub's back to the inventory items", async () => {
    const shop = await startShopifySimulator({ accessToken: TOKEN, restoreRate: 100_000 });
    simulators.push(shop);
    shop.seedProducts(shopifyProduct(1, ["One size"]), shopifyProduct(2, ["S", "M"]));
    shop.setLevel(1500, 4);
    shop.setLevel(2500, 3);
    shop.setLevel(2501, 8);
    const storefront = await hub.createStorefront({ platform_type: "shopify", api_endpoint: shop.url, api_token: TOKEN, auto_sync_orders: false, auto_sync_customers: false });
    storefronts.push(storefront.storefront_id);
    expect((await hub.call("POST", `/api/ecommerce/storefronts/${storefront.storefront_id}/sync`, { key: hub.keys.operator, json: { kinds: ["products"] } })).status).toBe(202);
    await hub.drain();
    const byName = new Map([...(await productsOf(storefront.storefront_id)).values()].map((product) => [product.product_name, product]));
    expect(byName.get("Shirt 1").inventory_quantity).toBe(4);
    expect(byName.get("Shirt 2").inventory_quantity).toBe(11);
    const shirt2 = byName.get("Shirt 2");

    shop.setLevel(2501, 1);
    const taken = await hub.call("POST", "/api/ecommerce/inventory/sync", {
      key: hub.keys.operator,
      json: { storefront_id: storefront.storefront_id, direction: "store_to_erp", sync_all: true },
    });
    expect(taken.body).toMatchObject({ updated_count: 2, error_count: 0 });
    const details = (await hub.call("GET", `/api/ecommerce/products/${shirt2.ecommerce_product_id}`)).body;
    expect(details.inventory_quantity).toBe(4);
    const small = details.variants.find((variant: any) => variant.external_variant_id === "2000");
    expect(small.inventory_quantity).toBe(3);

    const changed = await hub.call("PUT", `/api/ecommerce/products/${shirt2.ecommerce_product_id}/variants/${small.variant_id}`, { json: { inventory_quantity: 9 } });
    expect(changed.status).toBe(200);
    const pushed = await hub.call("POST", "/api/ecommerce/inventory/sync", {
      key: hub.keys.operator,
      json: { storefront_id: storefront.storefront_id, direction: "erp_to_store", product_updates: [{ external_product_id: shirt2.external_product_id }] },
    });
    expect(pushed.body).toEqual({ message: "Inventory sync completed", updated_count: 1, error_count: 0, errors: [] });
    expect(shop.levelOf(2500)).toBe(9);
    expect(shop.levelOf(2501)).toBe(1);
    expect(shop.levelOf(1500)).toBe(4);
    expect(shop.inventoryUpdates.map((update) => [update.inventoryItemId, update.quantity])).toEqual([
      ["gid://shopify/InventoryItem/2500", 9],
      ["gid://shopify/InventoryItem/2501", 1],
    ]);
  });
});
