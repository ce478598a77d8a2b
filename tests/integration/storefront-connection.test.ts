/**
 * Saving a storefront tests its connection: on create, and on an update that
 * changes its platform address or credentials, against the Shopify and
 * WooCommerce simulators (good and bad credentials), an address nothing
 * answers on, and one that never answers. The outcome is stored
 * (connection_status, connection_error) and the save succeeds regardless.
 */
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { startShopifySimulator, type ShopifySimulator } from "../../infra/local/platforms/shopify-simulator";
import { startWooCommerceSimulator, type WooCommerceSimulator } from "../../infra/local/platforms/woocommerce-simulator";
import { getStorefront } from "../../shared/data/storefronts";
import { syncsAutomatically } from "../../shared/sync/schedule";
import { CONNECTION_TEST_TIMEOUT_MS } from "../../shared/domain/storefront-connection";

const TOKEN = "shpat_good_token_0001";
const BAD_TOKEN = "shpat_bad_token_9999";
const WOO_KEY = "ck_good_key_0001";
const WOO_SECRET = "cs_good_secret_0001";
const BAD_WOO_KEY = "ck_bad_key_9999";
const SHOPIFY_REJECTION = "shopify rejected the credentials (401): [API] Invalid API key or access token (unrecognized login or wrong password)";

let hub: TestStack;
/** A recent minute: runs are kept 30 days after they were asked for (a TTL DynamoDB Local enforces too). */
const START = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
let clock = new Date(START);
const stops: (() => Promise<void>)[] = [];
const storefronts: number[] = [];

async function shopify(): Promise<ShopifySimulator> {
  const simulator = await startShopifySimulator({ accessToken: TOKEN, restoreRate: 100_000 });
  stops.push(() => simulator.stop());
  return simulator;
}

async function woocommerce(): Promise<WooCommerceSimulator> {
  const simulator = await startWooCommerceSimulator({ consumerKey: WOO_KEY, consumerSecret: WOO_SECRET });
  stops.push(() => simulator.stop());
  return simulator;
}

/** A Shopify storefront syncing products only (the simulator has none). */
async function create(overrides: Record<string, unknown>) {
  const response = await hub.call("POST", "/api/ecommerce/storefronts", {
    json: {
      storefront_code: `CONN-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
      storefront_name: "Connection test",
      platform_type: "shopify",
      auto_sync_orders: false,
      auto_sync_customers: false,
      ...overrides,
    },
  });
  if (response.status === 201) storefronts.push(response.body.storefront.storefront_id);
  return response;
}

const update = (id: number, json: Record<string, unknown>) => hub.call("PUT", `/api/ecommerce/storefronts/${id}`, { json });

async function runsOf(storefrontId: number) {
  const response = await hub.call("GET", `/api/ecommerce/sync-runs?storefront_id=${storefrontId}`, { key: hub.keys.viewer });
  expect(response.status).toBe(200);
  return response.body.runs;
}

async function fireSchedule(at: Date) {
  clock = at;
  await hub.scheduler.fire("sync-schedule");
  await hub.drain();
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback server that accepts connections and never answers. */
async function silentServer(): Promise<{ url: string; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stops.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

beforeAll(async () => {
  hub = await startTestStack({ clock: () => clock });
});

afterEach(async () => {
  // Storefronts of finished tests stop syncing: their simulators are gone.
  for (const id of storefronts.splice(0)) await update(id, { is_active: false });
  for (const stop of stops.splice(0)) await stop();
});

afterAll(async () => {
  await hub?.stop();
});

describe("creating a storefront tests its connection", () => {
  it("stores connected when the platform accepts the credentials", async () => {
    const shop = await shopify();

    const created = await create({ api_endpoint: shop.url, api_token: TOKEN });

    expect(created.status).toBe(201);
    expect(created.body.storefront).toMatchObject({ connection_status: "connected", is_connected: true, connection_error: null });
    expect(shop.counters.requests).toBe(1);
    expect(created.text).not.toContain(TOKEN);
    expect((await hub.call("GET", `/api/ecommerce/storefronts/${created.body.storefront.storefront_id}`)).body.storefront).toMatchObject({
      connection_status: "connected",
      connection_error: null,
    });
  });

  it("stores error with the platform's message when Shopify refuses the token, and still creates the storefront", async () => {
    const shop = await shopify();

    const created = await create({ api_endpoint: shop.url, api_token: BAD_TOKEN, connection_status: "connected" });

    expect(created.status).toBe(201);
    expect(created.body.storefront).toMatchObject({ connection_status: "error", is_connected: false, connection_error: SHOPIFY_REJECTION });
    expect(shop.counters.unauthorized).toBe(1);
    expect(created.text).not.toContain(BAD_TOKEN);
    const read = await hub.call("GET", `/api/ecommerce/storefronts/${created.body.storefront.storefront_id}`);
    expect(read.body.storefront).toMatchObject({ connection_status: "error", connection_error: SHOPIFY_REJECTION });
    expect(read.text).not.toContain(BAD_TOKEN);
  });

  it("stores error with the platform's message when WooCommerce refuses the key", async () => {
    const woo = await woocommerce();

    const created = await create({ platform_type: "woocommerce", api_endpoint: woo.url, api_key: BAD_WOO_KEY, api_secret: WOO_SECRET });

    expect(created.status).toBe(201);
    expect(created.body.storefront).toMatchObject({
      connection_status: "error",
      is_connected: false,
      connection_error: "woocommerce rejected the credentials (401): Consumer key is invalid.",
    });
    expect(woo.counters.unauthorized).toBe(1);
    expect(created.text).not.toContain(BAD_WOO_KEY);
    expect(created.text).not.toContain(WOO_SECRET);
  });

  it("stores connected for WooCommerce with a good key and secret", async () => {
    const woo = await woocommerce();

    const created = await create({ platform_type: "woocommerce", api_endpoint: woo.url, api_key: WOO_KEY, api_secret: WOO_SECRET });

    expect(created.body.storefront).toMatchObject({ connection_status: "connected", is_connected: true, connection_error: null });
    expect(woo.requestLog).toEqual([expect.stringMatching(/^GET \/wp-json\/wc\/v3\/products\?/)]);
  });

  it("stores error when nothing answers at the address, and keeps syncing it (unlike refused credentials)", async () => {
    const created = await create({ api_endpoint: `http://127.0.0.1:${await closedPort()}`, api_token: TOKEN });

    expect(created.status).toBe(201);
    expect(created.body.storefront).toMatchObject({ connection_status: "error", is_connected: false });
    expect(created.body.storefront.connection_error).toMatch(/^shopify could not be reached: /);
    expect(created.text).not.toContain(TOKEN);
    expect(syncsAutomatically((await getStorefront(created.body.storefront.storefront_id))!)).toBe(true);

    const refused = await create({ api_endpoint: (await shopify()).url, api_token: BAD_TOKEN });
    expect(syncsAutomatically((await getStorefront(refused.body.storefront.storefront_id))!)).toBe(false);
  });

  it("gives up after a short timeout when the platform never answers", { timeout: 30_000 }, async () => {
    const silent = await silentServer();
    const started = Date.now();

    const created = await create({ platform_type: "woocommerce", api_endpoint: silent.url, api_key: WOO_KEY, api_secret: WOO_SECRET });

    const elapsed = Date.now() - started;
    expect(created.status).toBe(201);
    expect(created.body.storefront).toMatchObject({ connection_status: "error", is_connected: false });
    expect(created.body.storefront.connection_error).toMatch(/^woocommerce could not be reached: /);
    expect(elapsed).toBeGreaterThanOrEqual(CONNECTION_TEST_TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(CONNECTION_TEST_TIMEOUT_MS + 5_000);
  });

  it("does not test a storefront without the credentials its connector needs, one declared unconnected, or an inactive one", async () => {
    const shop = await shopify();

    const withoutToken = await create({ api_endpoint: shop.url, api_key: "not-what-shopify-uses" });
    const unconnected = await create({ api_endpoint: shop.url, api_token: BAD_TOKEN, is_connected: false });
    const inactive = await create({ api_endpoint: shop.url, api_token: BAD_TOKEN, is_active: false });
    const custom = await create({ platform_type: "custom", api_endpoint: shop.url, api_token: BAD_TOKEN });
    const asGiven = await create({ api_endpoint: shop.url, is_connected: true, connection_status: "connected" });

    for (const response of [withoutToken, unconnected, inactive, custom]) {
      expect(response.status).toBe(201);
      expect(response.body.storefront).toMatchObject({ connection_status: "disconnected", is_connected: false, connection_error: null });
    }
    expect(asGiven.body.storefront).toMatchObject({ connection_status: "connected", is_connected: true, connection_error: null });
    expect(shop.counters.requests).toBe(0);
  });
});

describe("updating a storefront tests its connection again when its address or credentials change", () => {
  it("clears a refusal once the replaced token passes, and the schedule syncs the storefront again", async () => {
    const shop = await shopify();
    const created = await create({ api_endpoint: shop.url, api_token: BAD_TOKEN, auto_sync_products: true });
    const id = created.body.storefront.storefront_id;
    expect(created.body.storefront.connection_status).toBe("error");

    // Refused: the schedule leaves it alone, and an update of other fields does not test it again.
    await fireSchedule(new Date(START));
    expect(await runsOf(id)).toEqual([]);
    const renamed = await update(id, { storefront_name: "Renamed" });
    expect(renamed.body.storefront).toMatchObject({ connection_status: "error", connection_error: SHOPIFY_REJECTION });
    expect(shop.counters.requests).toBe(1);

    const fixed = await update(id, { api_token: TOKEN });

    expect(fixed.status).toBe(200);
    expect(fixed.body.storefront).toMatchObject({ connection_status: "connected", is_connected: true, connection_error: null });
    expect(fixed.text).not.toContain(TOKEN);
    expect(shop.counters.requests).toBe(2);
    await fireSchedule(new Date(START + 60_000));
    expect(await runsOf(id)).toEqual([expect.objectContaining({ kind: "products", reason: "sync", status: "succeeded" })]);
  });

  it("marks the connection in error when new credentials are refused, or the new address does not answer", async () => {
    const woo = await woocommerce();
    const created = await create({ platform_type: "woocommerce", api_endpoint: woo.url, api_key: WOO_KEY, api_secret: WOO_SECRET });
    const id = created.body.storefront.storefront_id;
    expect(created.body.storefront.connection_status).toBe("connected");

    const badKey = await update(id, { api_key: BAD_WOO_KEY });
    expect(badKey.status).toBe(200);
    expect(badKey.body.storefront).toMatchObject({ connection_status: "error", is_connected: false, connection_error: "woocommerce rejected the credentials (401): Consumer key is invalid." });
    expect(badKey.text).not.toContain(BAD_WOO_KEY);

    // Only the key is replaced: the stored secret is decrypted for the test.
    const goodKey = await update(id, { api_key: WOO_KEY });
    expect(goodKey.body.storefront).toMatchObject({ connection_status: "connected", connection_error: null });

    const moved = await update(id, { api_endpoint: `http://127.0.0.1:${await closedPort()}` });
    expect(moved.status).toBe(200);
    expect(moved.body.storefront).toMatchObject({ connection_status: "error", is_connected: false });
    expect(moved.body.storefront.connection_error).toMatch(/^woocommerce could not be reached: /);

    const back = await update(id, { api_endpoint: woo.url });
    expect(back.body.storefront).toMatchObject({ connection_status: "connected", connection_error: null });
    expect(woo.counters.unauthorized).toBe(1);
  });
});
