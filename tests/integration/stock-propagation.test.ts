/**
 * One stock, every channel: a SKU listed on a custom storefront (A), two
 * WooCommerce storefronts and a Shopify one, each platform a simulator on
 * loopback reached by the real connectors through the stream processors and
 * the stock-push worker of the local stack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { startTestStack, type TestStack } from "../support/test-stack";
import { startWooCommerceSimulator, type WooCommerceSimulator } from "../../infra/local/platforms/woocommerce-simulator";
import { startShopifySimulator, type ShopifySimulator } from "../../infra/local/platforms/shopify-simulator";
import { orderInput, lineItemInput } from "../support/order-factories";
import { FailingProxy } from "../simulators/failing-proxy";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { updateChannelStock } from "../../shared/streams/channel-stock";
import { batchGetItems, keyString } from "../../shared/data/batch";
import { productKey } from "../../shared/data/products";
import { erpStockKey } from "../../shared/data/erp-stock";

const KEY = "ck_stock_key_0001";
const SECRET = "cs_stock_secret_0001";
const TOKEN = "shpat_stock_token_0001";

let hub: TestStack;
const stops: (() => Promise<void>)[] = [];
const storefronts: number[] = [];

beforeAll(async () => {
  hub = await startTestStack();
});

afterEach(async () => {
  for (const id of storefronts.splice(0)) await hub.call("PUT", `/api/ecommerce/storefronts/${id}`, { json: { is_active: false } });
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

afterAll(async () => {
  await hub?.stop();
});

const NO_PULLS = { auto_sync_products: false, auto_sync_orders: false, auto_sync_customers: false };

async function storefront(fields: Record<string, unknown>) {
  const created = await hub.createStorefront({ ...NO_PULLS, ...fields });
  storefronts.push(created.storefront_id);
  return created;
}

async function product(storefrontId: number, fields: Record<string, unknown>) {
  const response = await hub.call("POST", "/api/ecommerce/products", {
    json: { storefront_id: storefrontId, external_product_id: `p-${randomUUID().slice(0, 8)}`, product_name: "Standing Desk", price: "499.00", ...fields },
  });
  expect(response.status, response.text).toBeLessThan(300);
  return response.body.product;
}

/** A WooCommerce shop with one simple product, and a storefront on it listing `sku`. */
async function wooChannel(sku: string, quantity: number, rules: Record<string, unknown> = {}, reach: (url: string) => Promise<string> = async (url) => url) {
  const woo = await startWooCommerceSimulator({ consumerKey: KEY, consumerSecret: SECRET });
  stops.push(() => woo.stop());
  const wooId = 100 + stops.length;
  woo.seedProducts({
    id: wooId, name: "Standing Desk", slug: `desk-${wooId}`, type: "simple", status: "publish", featured: false, description: "", short_description: "",
    sku, price: "499.00", regular_price: "499.00", sale_price: "", on_sale: false, manage_stock: true, stock_quantity: quantity, backorders: "no",
    low_stock_amount: 5, weight: "", dimensions: { length: "", width: "", height: "" }, categories: [], tags: [], images: [], variations: [], date_modified_gmt: "2024-05-01T00:00:00",
  });
  const created = await storefront({ platform_type: "woocommerce", api_endpoint: await reach(woo.url), api_key: KEY, api_secret: SECRET, ...rules });
  const listing = await product(created.storefront_id, { external_product_id: String(wooId), external_sku: sku, inventory_quantity: quantity });
  return { woo, wooId, storefront: created, listing, stockOnPlatform: () => Number(woo.products.get(wooId)!.stock_quantity) };
}

/** A Shopify shop with one product of two variants, and a storefront on it whose first variant lists `sku`. */
async function shopifyChannel(sku: string, quantity: number, rules: Record<string, unknown> = {}) {
  const shop = await startShopifySimulator({ accessToken: TOKEN });
  stops.push(() => shop.stop());
  shop.seedProducts({
    id: 9001, title: "Standing Desk", handle: "standing-desk", updatedAt: "2024-05-01T00:00:00Z", options: [{ name: "Colour", position: 1 }],
    variants: [
      { id: 9101, title: "Oak", sku, price: "499.00", inventoryItemId: 9201, selectedOptions: [{ name: "Colour", value: "Oak" }] },
      { id: 9102, title: "Walnut", sku: `${sku}-W`, price: "529.00", inventoryItemId: 9202, selectedOptions: [{ name: "Colour", value: "Walnut" }] },
    ],
  });
  shop.setLevel(9201, quantity);
  shop.setLevel(9202, 3);
  const created = await storefront({ platform_type: "shopify", api_endpoint: shop.url, api_token: TOKEN, ...rules });
  const listing = await product(created.storefront_id, { external_product_id: "9001" });
  for (const [id, variantSku, stock] of [["9101", sku, quantity], ["9102", `${sku}-W`, 3]] as const) {
    const response = await hub.call("POST", `/api/ecommerce/products/${listing.ecommerce_product_id}/variants`, {
      json: { external_variant_id: id, sku: variantSku, option1_name: "Colour", option1_value: id === "9101" ? "Oak" : "Walnut", inventory_quantity: stock },
    });
    expect(response.status, response.text).toBe(201);
  }
  return { shop, storefront: created, listing, stockOnPlatform: () => shop.levelOf(9201) };
}

/** The custom storefront where orders are taken, with its product listing `sku`. */
async function orderChannel(sku: string, quantity: number) {
  const created = await storefront({ platform_type: "custom" });
  const listing = await product(created.storefront_id, { external_sku: sku, erp_sku: sku, inventory_quantity: quantity });
  return { storefront: created, listing };
}

async function sellAndShip(storefrontId: number, sku: string, quantity: number) {
  const imported = await hub.call("POST", "/api/ecommerce/orders", {
    json: orderInput(storefrontId, { line_items: [lineItemInput({ sku, quantity, unit_price: 499, total_amount: 499 * quantity })], total_amount: 499 * quantity, subtotal_amount: 499 * quantity, shipping_amount: 0, tax_amount: 0 }),
  });
  expect(imported.status, imported.text).toBeLessThan(300);
  const fulfilled = await hub.call("POST", `/api/ecommerce/orders/${imported.body.order.ecommerce_order_id}/fulfill`, { json: {} });
  expect(fulfilled.status, fulfilled.text).toBe(200);
}

const hubQuantity = async (productId: number) => (await hub.call("GET", `/api/ecommerce/products/${productId}`)).body.inventory_quantity as number;

const sku = () => `DESK-${randomUUID().slice(0, 6)}`;

describe("one ERP stock pushed to every channel", () => {
  it("an order shipped on one channel moves the others, each by its own rules", async () => {
    const code = sku();
    const orders = await orderChannel(code, 40);
    const plain = await wooChannel(code, 40);
    const buffered = await wooChannel(code, 40, { inventory_safety_buffer: 5 });
    const halved = await shopifyChannel(code, 40, { inventory_percentage: 50 });
    const capped = await wooChannel(code, 40, { inventory_max_quantity: 12 });
    await hub.drain();

    await sellAndShip(orders.storefront.storefront_id, code, 3);
    await hub.drain();

    // 37 left: all of it, less the buffer of 5, half of it rounded down, at most 12.
    expect(plain.stockOnPlatform()).toBe(37);
    expect(buffered.stockOnPlatform()).toBe(32);
    expect(halved.stockOnPlatform()).toBe(18);
    expect(capped.stockOnPlatform()).toBe(12);
    // The hub's own listings show the ERP quantity, whatever each channel is shown.
    expect(await hubQuantity(orders.listing.ecommerce_product_id)).toBe(37);
    expect(await hubQuantity(plain.listing.ecommerce_product_id)).toBe(37);
    expect(await hubQuantity(halved.listing.ecommerce_product_id)).toBe(37 + 3);
    // The other Shopify variant lists a SKU of its own (3 in stock): half of it.
    expect(halved.shop.levelOf(9202)).toBe(1);

    // Another order on a platform's storefront moves everyone else too, the capped channel not at all (still 12).
    const cappedCalls = capped.woo.counters.requests;
    await sellAndShip(plain.storefront.storefront_id, code, 2);
    await hub.drain();
    expect(await hubQuantity(orders.listing.ecommerce_product_id)).toBe(35);
    expect(buffered.stockOnPlatform()).toBe(30);
    expect(halved.stockOnPlatform()).toBe(17);
    expect(capped.stockOnPlatform()).toBe(12);
    expect(capped.woo.counters.requests).toBe(cappedCalls);
  });

  it("many changes to a SKU within the window become one push, of the last number", async () => {
    const code = sku();
    const orders = await orderChannel(code, 50);
    const channel = await wooChannel(code, 50);
    await hub.drain();
    const updatesBefore = channel.woo.stockUpdates.length;

    for (const quantity of [49, 47, 44, 40, 35]) {
      const response = await hub.call("PUT", `/api/ecommerce/products/${orders.listing.ecommerce_product_id}`, { json: { inventory_quantity: quantity } });
      expect(response.status).toBe(200);
    }
    await hub.drain();

    expect(channel.stockOnPlatform()).toBe(35);
    expect(channel.woo.stockUpdates.slice(updatesBefore)).toEqual([{ productId: channel.wooId, stock_quantity: 35 }]);
  });

  it("a new listing takes the ERP quantity; a platform's report does not change it, an explicit store_to_erp does", async () => {
    const code = sku();
    const orders = await orderChannel(code, 20);
    const woo = await wooChannel(code, 20);
    await hub.drain();
    const late = await product(orders.storefront.storefront_id, { external_sku: code, inventory_quantity: 999 });
    await hub.drain();
    expect(await hubQuantity(late.ecommerce_product_id)).toBe(20);

    // The platform's level changes (its own sale, not yet imported; a manual edit) and a product pull reports it.
    woo.woo.products.get(woo.wooId)!.stock_quantity = 7;
    woo.woo.products.get(woo.wooId)!.date_modified_gmt = "2024-05-02T00:00:00";
    const pull = await hub.call("POST", `/api/ecommerce/storefronts/${woo.storefront.storefront_id}/sync`, { key: hub.keys.operator, json: { kinds: ["products"] } });
    expect(pull.status, pull.text).toBe(202);
    await hub.drain();
    expect(await hubQuantity(woo.listing.ecommerce_product_id)).toBe(7);
    expect(await hubQuantity(orders.listing.ecommerce_product_id)).toBe(20);
    expect(await hubQuantity(late.ecommerce_product_id)).toBe(20);

    // Taking the platform's level into the ERP on purpose makes it everyone's.
    const taken = await hub.call("POST", "/api/ecommerce/inventory/sync", {
      json: { storefront_id: woo.storefront.storefront_id, direction: "store_to_erp", product_updates: [{ ecommerce_product_id: woo.listing.ecommerce_product_id }] },
    });
    expect(taken.status, taken.text).toBe(200);
    expect(taken.body.updated_count).toBe(1);
    await hub.drain();
    expect(await hubQuantity(orders.listing.ecommerce_product_id)).toBe(7);
    expect(await hubQuantity(late.ecommerce_product_id)).toBe(7);
  });

  it("a redelivered stream record moves the ERP quantity once", async () => {
    const code = sku();
    const orders = await orderChannel(code, 30);
    const channel = await wooChannel(code, 30);
    await hub.drain();
    const key = productKey(orders.listing.ecommerce_product_id);
    const item = (await batchGetItems([key], { consistentRead: true })).get(keyString(key))!;
    const record = {
      eventID: `redelivered-${randomUUID()}`,
      eventName: "MODIFY",
      dynamodb: { Keys: marshall(key), OldImage: marshall(item, { removeUndefinedValues: true }), NewImage: marshall({ ...item, inventory_quantity: 26 }, { removeUndefinedValues: true }) },
    } as unknown as DynamoDBRecord;
    for (let delivery = 0; delivery < 3; delivery++) expect((await updateChannelStock([record])).batchItemFailures).toEqual([]);
    await hub.drain();

    const stock = (await batchGetItems([erpStockKey(code)], { consistentRead: true })).get(keyString(erpStockKey(code)))!;
    expect(stock.quantity).toBe(26);
    expect(channel.stockOnPlatform()).toBe(26);
    expect(await hubQuantity(orders.listing.ecommerce_product_id)).toBe(26);
  });

  it("a push the platform fails is retried with backoff until it lands", async () => {
    const code = sku();
    const orders = await orderChannel(code, 30);
    let proxy!: FailingProxy;
    const channel = await wooChannel(code, 30, {}, async (url) => {
      proxy = await new FailingProxy(url).start();
      stops.push(() => proxy.stop());
      return proxy.url;
    });
    await hub.drain();
    // More failures than the connector's own retries absorb: the push fails, and its message comes back later.
    proxy.fail({ matches: (line) => line.startsWith("POST ") && line.includes("/products/batch"), status: 503, body: { code: "unavailable", message: "down for maintenance" }, times: 6 });

    await sellAndShip(orders.storefront.storefront_id, code, 4);
    await hub.drain();

    expect(proxy.failed.length).toBe(6);
    expect(channel.stockOnPlatform()).toBe(26);
  });

  it("a platform refusing the credentials puts the storefront's connection in error and stops its pushes", async () => {
    const code = sku();
    const orders = await orderChannel(code, 30);
    const channel = await wooChannel(code, 30);
    await hub.drain();
    // The merchant revokes the key on the platform.
    (channel.woo as unknown as { options: { consumerKey: string } }).options.consumerKey = "ck_revoked";

    await sellAndShip(orders.storefront.storefront_id, code, 2);
    await hub.drain();
    const after = (await hub.call("GET", `/api/ecommerce/storefronts/${channel.storefront.storefront_id}`)).body.storefront;
    expect(after.connection_status).toBe("error");
    expect(channel.stockOnPlatform()).toBe(30);
    const unauthorized = channel.woo.counters.unauthorized;

    await sellAndShip(orders.storefront.storefront_id, code, 1);
    await hub.drain();
    expect(channel.woo.counters.unauthorized).toBe(unauthorized);
    expect(await hubQuantity(channel.listing.ecommerce_product_id)).toBe(27);
  });
});
