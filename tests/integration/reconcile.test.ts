/**
 * The aggregates under a random workload: imports in two storefronts and time
 * zones, several currencies, duplicates, out-of-order updates, orders moving
 * to another day or customer, cancellations, refunds, fulfilments and carts;
 * then every stream batch delivered again, twice and in another order. The
 * reconciliation recomputes every aggregate from the source records and must
 * find no drift; a drift put there on purpose is found and repaired.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { functions, queues } from "../../infra/wiring";
import { capturedBatches } from "../support/catalog-stream-capture";
import { startTestStack, type TestStack } from "../support/test-stack";
import { orderInput } from "../support/order-factories";
import { productInput } from "../support/catalog-factories";

/** The processors whose batches are replayed; their own entries, as the stack runs them. */
const REPLAYED = ["analytics-counters", "order-counters", "customer-stats", "cart-counters", "catalog-counters"];
const CAPTURED_KEYS = ["ORDER", "CART", "CUSTOMER", "PRODUCT"];

let hub: TestStack;
const clock = new Date("2025-06-30T00:00:00Z");

beforeAll(async () => {
  const capture = {
    name: "replay-capture",
    entry: "tests/support/catalog-stream-capture.ts",
    trigger: { type: "stream" as const, filters: [{ dynamodb: { Keys: { sk: { S: CAPTURED_KEYS } } } }], batchSize: 100, maxRetries: 10 },
    access: { table: "read" as const },
  };
  hub = await startTestStack({ wiring: { functions: [...functions, capture], queues }, clock: () => clock });
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (max: number) => Math.floor(next() * max), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

const SEED = Number(process.env.RECONCILE_SEED ?? 20251124);
const rng = random(SEED);
const suffix = randomUUID().slice(0, 8);

async function ok(method: string, path: string, json?: unknown) {
  const response = await hub.call(method, path, { json, key: hub.keys.admin });
  expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
  return response.body;
}

const workloadStorefronts: number[] = [];

async function runWorkload() {
  const storefronts = [
    await hub.createStorefront({ storefront_code: `RC-NY-${suffix}`, default_currency: "USD", timezone: "America/New_York" }),
    await hub.createStorefront({ storefront_code: `RC-TK-${suffix}`, default_currency: "EUR", timezone: "Asia/Tokyo" }),
  ];
  workloadStorefronts.push(...storefronts.map((storefront) => storefront.storefront_id));
  const catalog = new Map<number, string[]>();
  for (const storefront of storefronts) {
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      const body = productInput(storefront.storefront_id, { inventory_quantity: 50 + index, inventory_tracked: index % 2 === 0 });
      await ok("POST", "/api/ecommerce/products", body);
      ids.push(String(body.external_product_id));
    }
    catalog.set(storefront.storefront_id, ids);
  }
  const customers = Array.from({ length: 10 }, (_, index) => `rc-${index}-${suffix}@example.com`);
  const imported: { body: Record<string, unknown>; id: number }[] = [];
  const dateOf = () => new Date(Date.UTC(2025, 5, 1 + rng.int(20), rng.int(24), rng.int(60))).toISOString();

  for (let index = 0; index < 60; index++) {
    const storefront = rng.pick(storefronts);
    const products = catalog.get(storefront.storefront_id)!;
    const lines = Array.from({ length: 1 + rng.int(3) }, (_, line) => {
      const quantity = 1 + rng.int(3);
      const price = 100 + rng.int(20_000);
      return { external_item_id: `l${line}`, external_product_id: rng.pick(products), product_name: "Item", quantity, unit_price: (price / 100).toFixed(2), total_amount: ((price * quantity) / 100).toFixed(2) };
    });
    const subtotal = lines.reduce((sum, line) => sum + Math.round(Number(line.total_amount) * 100), 0);
    const body = orderInput(storefront.storefront_id, {
      customer_email: rng.pick(customers),
      order_date: dateOf(),
      currency: rng.next() < 0.8 ? storefront.default_currency : "GBP",
      line_items: lines,
      subtotal_amount: (subtotal / 100).toFixed(2),
      total_amount: (subtotal / 100).toFixed(2),
      shipping_amount: 0,
      tax_amount: 0,
      order_status: rng.pick(["pending", "confirmed", "processing"]),
      payment_status: rng.pick(["pending", "paid", "paid", "authorized"]),
      is_test_order: rng.next() < 0.05,
      updated_at: "2025-06-01T00:00:00Z",
    });
    const created = await ok("POST", "/api/ecommerce/orders", body);
    imported.push({ body, id: created.order.ecommerce_order_id });
    if (rng.next() < 0.2) await ok("POST", "/api/ecommerce/orders", body); // a duplicate delivery
  }

  for (const [index, order] of imported.entries()) {
    const roll = rng.next();
    const path = `/api/ecommerce/orders/${order.id}`;
    if (roll < 0.15) {
      // An update, then an older one arriving late (refused as stale).
      await ok("POST", "/api/ecommerce/orders", { ...order.body, payment_status: "paid", updated_at: "2025-06-03T00:00:00Z" });
      await ok("POST", "/api/ecommerce/orders", { ...order.body, payment_status: "voided", updated_at: "2025-06-02T00:00:00Z" });
    } else if (roll < 0.25) {
      await ok("POST", "/api/ecommerce/orders", { ...order.body, order_date: dateOf(), updated_at: "2025-06-04T00:00:00Z" }); // another day
    } else if (roll < 0.35) {
      await ok("POST", "/api/ecommerce/orders", { ...order.body, customer_email: rng.pick(customers), updated_at: "2025-06-04T00:00:00Z" }); // another customer
    } else if (roll < 0.45) {
      await ok("POST", `${path}/cancel`, { restock: index % 2 === 0, reason: "customer asked" });
    } else if (roll < 0.55) {
      await ok("POST", `${path}/fulfill`, {});
      if (rng.next() < 0.5) await ok("POST", `${path}/refund`, { restock: true });
    }
  }

  for (const [index, storefront] of storefronts.entries()) {
    for (let cart = 0; cart < 6; cart++) {
      const token = `rc-cart-${index}-${cart}-${suffix}`;
      const created = new Date(Date.UTC(2025, 5, 1 + rng.int(20), rng.int(24))).toISOString();
      const body = {
        storefront_id: storefront.storefront_id,
        cart_token: token,
        customer_email: `shopper-${cart}-${suffix}@example.com`,
        currency: storefront.default_currency,
        cart_items: [{ product_name: "Item", quantity: 1 + rng.int(2), unit_price: "19.99" }],
        created_at: created,
        updated_at: created,
      };
      await ok("POST", "/api/ecommerce/carts", body);
      if (cart % 3 === 0) await ok("POST", "/api/ecommerce/carts", { ...body, updated_at: new Date(Date.parse(created) + 3_600_000).toISOString(), completed_at: new Date(Date.parse(created) + 3_600_000).toISOString() });
    }
  }
  await hub.scheduler.fire("cart-schedule");
  await hub.drain();
}

async function replayEverything() {
  const handlers = await Promise.all(
    REPLAYED.map(async (name) => {
      const spec = functions.find((fn) => fn.name === name)!;
      const module = (await import(`../../${spec.entry}`)) as { handler: (event: DynamoDBStreamEvent) => Promise<{ batchItemFailures: unknown[] }> };
      const keys = new Set(JSON.stringify(spec.trigger).match(/"(ORDER|CART|CUSTOMER|PRODUCT)"/g)!.map((key) => key.slice(1, -1)));
      return { name, handler: module.handler, keys };
    }),
  );
  const batches = [...capturedBatches, ...[...capturedBatches].reverse()];
  for (const { handler, keys } of handlers) {
    for (const batch of batches) {
      const records = batch.Records.filter((record) => keys.has(record.dynamodb?.Keys?.sk?.S ?? ""));
      if (records.length === 0) continue;
      const result = await handler({ Records: records });
      expect(result.batchItemFailures).toEqual([]);
    }
  }
}

async function reconcile(repair = false) {
  const { reconcileAggregates, repairDrifts } = await import("../../shared/analytics/reconcile");
  const report = await reconcileAggregates();
  if (repair) await repairDrifts(report.drifts);
  return report;
}

describe("reconciliation after a random workload", () => {
  it("finds zero drift after duplicates, late updates, moves, cancellations, refunds and replayed stream batches", async () => {
    await runWorkload();
    expect(capturedBatches.length).toBeGreaterThan(0);
    await replayEverything();
    await hub.drain();
    const report = await reconcile();
    expect(report.sources.orders).toBe(60);
    expect(report.sources.carts).toBe(12);
    expect(report.drifts, `seed ${SEED}`).toEqual([]);
  }, 240_000);

  it("finds a drift put there on purpose, and repairs it", async () => {
    const { UpdateCommand } = await import("@aws-sdk/lib-dynamodb");
    const { documentClient } = await import("../../shared/data/client");
    const { reconcileAggregates } = await import("../../shared/analytics/reconcile");
    const { dailyCountersKey } = await import("../../shared/data/daily-aggregates");
    expect((await reconcileAggregates()).drifts).toEqual([]);
    const storefrontId = workloadStorefronts[0]!;
    await documentClient.send(new UpdateCommand({ TableName: hub.table.tableName, Key: dailyCountersKey(storefrontId, "2025-06-10"), UpdateExpression: "ADD orders :one", ExpressionAttributeValues: { ":one": 1 } }));
    const found = await reconcile(true);
    expect(found.drifts).toHaveLength(1);
    expect(found.drifts[0]).toMatchObject({ kind: "counters", counter: "orders", key: dailyCountersKey(storefrontId, "2025-06-10") });
    expect((await reconcileAggregates()).drifts).toEqual([]);
  });
});
