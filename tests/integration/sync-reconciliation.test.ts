/**
 * The daily order reconciliation: once a day, the schedule queues an orders
 * run that pulls the orders updated in the last 48 hours whatever the
 * cursor, which picks up an order the incremental runs missed (updated on
 * the platform before the cursor's window, as a late-indexed change or a
 * lost webhook leaves it). Against the Shopify simulator, with the test
 * stack's clock and scheduler.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { startTestStack, type TestStack } from "../support/test-stack";
import { startShopifySimulator, type ShopifyOrderSeed, type ShopifySimulator } from "../../infra/local/platforms/shopify-simulator";
import { runSyncSchedule } from "../../shared/sync/schedule";

const TOKEN = "shpat_reconcile_token_0001";
const HOUR = 3_600_000;

let hub: TestStack;
let clock = new Date();
const simulators: ShopifySimulator[] = [];
const storefronts: number[] = [];

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
/**
 * The test clock starts at a recent UTC midnight: runs are kept 30 days
 * after they were asked for (a TTL DynamoDB Local enforces too), so runs
 * dated years back could vanish mid-test.
 */
const DAY0 = Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR - 10 * 24 * HOUR;
/** `day` days and `hours` hours (fractions for minutes) after the first test day's midnight. */
const at = (day: number, hours = 0) => new Date(DAY0 + (day * 24 + hours) * HOUR);
const iso = (day: number, hours = 0) => at(day, hours).toISOString();
const hoursBefore = (time: Date, hours: number) => new Date(time.getTime() - hours * HOUR).toISOString();
const MINUTE_H = 1 / 60;

const shopifyOrder = (id: number, updatedAt: string): ShopifyOrderSeed => ({
  id,
  name: `#${id}`,
  email: `buyer${id}@example.com`,
  createdAt: updatedAt,
  updatedAt,
  displayFinancialStatus: "PAID",
  displayFulfillmentStatus: "UNFULFILLED",
  currencyCode: "USD",
  totalPrice: "10.00",
  totalTax: "0.00",
  customer: null,
  lineItems: [{ id: id * 10, title: "Mug", sku: `MUG-${id}`, quantity: 1, price: "10.00" }],
});

/** A Shopify storefront that syncs orders only, every 15 minutes. */
async function orderStorefront() {
  const shop = await startShopifySimulator({ accessToken: TOKEN, restoreRate: 100_000 });
  simulators.push(shop);
  const storefront = await hub.createStorefront({
    platform_type: "shopify",
    api_endpoint: shop.url,
    api_token: TOKEN,
    auto_sync_products: false,
    auto_sync_customers: false,
    auto_sync_orders: true,
  });
  storefronts.push(storefront.storefront_id);
  expect(storefront.connection_status).toBe("connected");
  return { shop, storefront };
}

async function fireSchedule(time: Date) {
  clock = time;
  await hub.scheduler.fire("sync-schedule");
  await hub.drain();
}

async function runsOf(storefrontId: number, query = "") {
  const response = await hub.call("GET", `/api/ecommerce/sync-runs?storefront_id=${storefrontId}${query}`, { key: hub.keys.viewer });
  expect(response.status).toBe(200);
  return response.body.runs as any[];
}

const storefrontOf = async (id: number) => (await hub.call("GET", `/api/ecommerce/storefronts/${id}`)).body.storefront;

async function orderIdsOf(storefrontId: number): Promise<string[]> {
  const response = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&limit=200`);
  expect(response.status).toBe(200);
  return response.body.orders.map((order: { external_order_id: string }) => order.external_order_id).sort();
}

beforeAll(async () => {
  hub = await startTestStack({ clock: () => clock });
});

afterEach(async () => {
  for (const id of storefronts.splice(0)) await hub.call("PUT", `/api/ecommerce/storefronts/${id}`, { json: { is_active: false } });
  await Promise.all(simulators.splice(0).map((simulator) => simulator.stop()));
});

afterAll(async () => {
  await hub?.stop();
});

describe("the daily order reconciliation", () => {
  it("picks up an order updated 30 hours ago that the incremental run misses, without moving the cursor", async () => {
    const { shop, storefront } = await orderStorefront();
    const id = storefront.storefront_id;
    shop.seedOrders(shopifyOrder(1001, iso(0, -12)));

    // The first run pulls every order; a full sync counts as the day's reconciliation.
    await fireSchedule(at(0));
    expect(await runsOf(id)).toEqual([expect.objectContaining({ kind: "orders", reason: "sync", since: null, status: "succeeded", created: 1 })]);
    expect(await storefrontOf(id)).toMatchObject({ last_order_sync_at: iso(0), last_order_reconciliation_at: iso(0) });
    // Not a day later yet: incremental runs only.
    await fireSchedule(at(0, 12));
    expect((await runsOf(id)).map((run) => run.reason)).toEqual(["sync", "sync"]);

    // An order the platform shows as updated 30 hours before the next run, long before the cursor's window: a webhook that never came.
    const next = at(1, 30 * MINUTE_H);
    shop.seedOrders(shopifyOrder(1002, hoursBefore(next, 30)));

    // Both are due; the incremental run goes first, and the reconciliation waits for it to end.
    await fireSchedule(next);
    const [incremental] = await runsOf(id);
    expect(incremental).toMatchObject({ reason: "sync", status: "succeeded", since: iso(0, 12 - 10 * MINUTE_H), items_seen: 0, requested_at: next.toISOString() });
    expect(await orderIdsOf(id)).toEqual(["1001"]);
    expect((await storefrontOf(id)).last_order_sync_at).toBe(next.toISOString());

    const reconcileAt = at(1, 31 * MINUTE_H);
    await fireSchedule(reconcileAt);

    const runs = await runsOf(id);
    expect(runs).toHaveLength(4);
    expect(runs[0]).toMatchObject({
      kind: "orders",
      source: "schedule",
      reason: "reconciliation",
      status: "succeeded",
      requested_at: reconcileAt.toISOString(),
      since: hoursBefore(reconcileAt, 48),
      items_seen: 2,
      created: 1,
      unchanged: 1,
      failed: 0,
    });
    expect(await orderIdsOf(id)).toEqual(["1001", "1002"]);
    // The cursor stays where the incremental run left it; the reconciliation is recorded.
    expect(await storefrontOf(id)).toMatchObject({ last_order_sync_at: next.toISOString(), last_order_reconciliation_at: reconcileAt.toISOString() });
    expect((await runsOf(id, "&reason=reconciliation")).map((run) => run.run_id)).toEqual([runs[0].run_id]);
    expect((await runsOf(id, "&reason=sync")).map((run) => run.reason)).toEqual(["sync", "sync", "sync"]);
  });

  it("queues one reconciliation a day, however often the schedule fires", async () => {
    const { storefront } = await orderStorefront();
    const id = storefront.storefront_id;
    await fireSchedule(at(3));
    const reconciliations = async () => (await runsOf(id, "&reason=reconciliation")).map((run) => run.requested_at);

    // The same tick delivered twice, one after the other and side by side.
    const due = at(4);
    await fireSchedule(due);
    expect(await reconciliations()).toEqual([]);
    const tick = at(4, MINUTE_H);
    await fireSchedule(tick);
    await fireSchedule(tick);
    await Promise.all([runSyncSchedule(tick), runSyncSchedule(tick)]);
    await hub.drain();
    expect(await reconciliations()).toEqual([tick.toISOString()]);

    // Later the same day: none.
    await fireSchedule(at(4, 18));
    expect(await reconciliations()).toEqual([tick.toISOString()]);

    // Even when the storefront's record of it is lost, the day's run id holds: no second run that day,
    // and the run under way mark is let go at once (the incremental run a quarter of an hour later is queued).
    await documents.send(
      new UpdateCommand({
        TableName: hub.table.tableName,
        Key: { pk: `STOREFRONT#${id}`, sk: "STOREFRONT" },
        UpdateExpression: "REMOVE last_order_reconciliation_at",
      }),
    );
    await fireSchedule(at(4, 18 + MINUTE_H));
    expect(await reconciliations()).toEqual([tick.toISOString()]);
    await fireSchedule(at(4, 18 + 15 * MINUTE_H));
    expect((await runsOf(id))[0]).toMatchObject({ reason: "sync", requested_at: iso(4, 18 + 15 * MINUTE_H), status: "succeeded" });

    // The next day: the incremental run first, then the reconciliation.
    await fireSchedule(at(5, MINUTE_H));
    const nextDay = at(5, 2 * MINUTE_H);
    await fireSchedule(nextDay);
    expect(await reconciliations()).toEqual([nextDay.toISOString(), tick.toISOString()]);
    expect((await runsOf(id, "&reason=reconciliation"))[0]).toMatchObject({ status: "succeeded", since: hoursBefore(nextDay, 48) });
  });

  it("does not reconcile a storefront that does not sync its orders", async () => {
    const { storefront } = await orderStorefront();
    const id = storefront.storefront_id;
    await fireSchedule(at(7));
    expect((await hub.call("PUT", `/api/ecommerce/storefronts/${id}`, { json: { auto_sync_orders: false, auto_sync_products: true } })).status).toBe(200);

    await fireSchedule(at(9));

    expect(await runsOf(id, "&reason=reconciliation")).toEqual([]);
    expect((await runsOf(id)).map((run) => run.kind)).toEqual(["products", "orders"]);
  });
});
