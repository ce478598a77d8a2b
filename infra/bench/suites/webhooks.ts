/**
 * The `webhooks` suite.
 *
 * 1. Intake: signed Shopify orders/create deliveries (the events/ sample, a
 *    new webhook id each) from 32 concurrent senders to a stack without the
 *    worker or stream processors, so only the acknowledgement path runs:
 *    storefront and secrets (cached per instance), signature, the delivery
 *    stored, the message queued. Deliveries acknowledged per second against
 *    raw PutItem of an item of the delivery's size, 32 in flight, on the same
 *    DynamoDB Local, measured before and after; and the acknowledgement
 *    latency distribution. Targets: ratio >= 0.4, p99 < 250 ms.
 * 2. End to end: 500 orders/create deliveries (each a new order of a new
 *    customer) sent at a steady 5 per second to the whole stack (the local
 *    stack runs every function in one process on this machine's 2 cores; at
 *    20 per second its worker and stream processors fall behind and the
 *    figure measures the backlog, not the path); for each, the time
 *    from its acknowledgement until the order is stored and its customer's
 *    stats count it (what GET /api/ecommerce/orders/{id} then shows; read
 *    with light BatchGetItems, so that watching does not slow the stack).
 *    Target: p95 < 2 s.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { functions, queues } from "../../wiring";
import type { LocalStack } from "../../local/stack";
import { adminApi, createStorefront, inParallel, verdict, withStack, withEmulators } from "../harness";
import { base64BodySignature } from "../../../shared/webhooks/signatures";
import { percentile } from "../stats";
import type { SuiteContext, Suite, SuiteReport } from "../suite";
import { ratio } from "../units";

export const INTAKE_RATIO_TARGET = 0.4;
export const INTAKE_P99_TARGET_MS = 250;
export const E2E_P95_TARGET_MS = 2_000;
const SENDERS = 32;
const INTAKE_DELIVERIES = 2_000;
const WARM_UP_DELIVERIES = 500;
const E2E_DELIVERIES = 500;
const E2E_RATE_PER_SECOND = 5;
const SECRET = "bench-webhook-secret";

export const webhooksSuite: Suite = {
  name: "webhooks",
  description: "Webhook intake against raw PutItem, acknowledgement latency, and acknowledgement-to-readable time",
  run,
};

/** The orders/create sample as sent, with its order id, number, customer and email made unique by `n`. */
function orderDelivery(n: number): string {
  const text = readFileSync(join("events", "shopify", "orders-create.json"), "utf8");
  const raw = text.slice(text.indexOf('\n  "body": ') + 10).trimEnd().replace(/}$/, "");
  return raw
    .replaceAll("820982911946154508", String(9_000_000_000 + n))
    .replaceAll("115310627314723954", String(8_000_000_000 + n))
    .replaceAll("john@example.com", `bench-${n}@example.com`);
}

async function send(stack: LocalStack, code: string, body: string): Promise<{ status: number; ms: number; json: any }> {
  const started = performance.now();
  const response = await fetch(`${stack.url}/api/ecommerce/webhooks/shopify/${code}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-shop-domain": "ocean-demo.myshopify.com",
      "x-shopify-hmac-sha256": base64BodySignature(body, SECRET),
    },
    body,
  });
  const json = await response.json();
  return { status: response.status, ms: performance.now() - started, json };
}

/** The raw PutItem baseline stores the body as received, uncompressed: what storing a delivery naively costs. */
async function rawPutsPerSecond(endpoint: string, tableName: string, bodyBytes: number, round: string): Promise<number> {
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }));
  const body = "x".repeat(bodyBytes);
  try {
    const elapsed = await inParallel(INTAKE_DELIVERIES, SENDERS, async (index) => {
      await raw.send(new PutCommand({ TableName: tableName, Item: { pk: `BENCH#RAW#${round}#${index}`, sk: "RAW", gsi1pk: `BENCH#RAW#${round}`, gsi1sk: String(index), raw_body: body } }));
    });
    return (INTAKE_DELIVERIES / elapsed) * 1000;
  } finally {
    raw.destroy();
  }
}

async function measureIntake(stack: LocalStack, dynamodb: string, log: (message: string) => void) {
  const code = "BENCH-INTAKE";
  await createStorefront(await adminApi(stack), code, { webhook_secret: SECRET });
  const bodies = Array.from({ length: INTAKE_DELIVERIES + WARM_UP_DELIVERIES }, (_, n) => orderDelivery(n));
  const bodyBytes = Buffer.byteLength(bodies[0]!);
  log(`warming up with ${WARM_UP_DELIVERIES} deliveries`);
  await inParallel(WARM_UP_DELIVERIES, SENDERS, async (index) => void (await send(stack, code, bodies[INTAKE_DELIVERIES + index]!)));
  const rawBefore = await rawPutsPerSecond(dynamodb, stack.table.tableName, bodyBytes, "before");
  log(`${INTAKE_DELIVERIES} deliveries from ${SENDERS} senders`);
  const latencies: number[] = [];
  const elapsed = await inParallel(INTAKE_DELIVERIES, SENDERS, async (index) => {
    const result = await send(stack, code, bodies[index]!);
    if (result.status !== 202) throw new Error(`delivery answered ${result.status}: ${JSON.stringify(result.json)}`);
    latencies.push(result.ms);
  });
  const rawAfter = await rawPutsPerSecond(dynamodb, stack.table.tableName, bodyBytes, "after");
  return {
    bodyBytes,
    acceptedPerSecond: (INTAKE_DELIVERIES / elapsed) * 1000,
    rawBefore,
    rawAfter,
    rawPerSecond: (rawBefore + rawAfter) / 2,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
  };
}

async function measureEndToEnd(stack: LocalStack, log: (message: string) => void) {
  const code = "BENCH-E2E";
  const storefrontId = await createStorefront(await adminApi(stack), code, { webhook_secret: SECRET });
  const { orderKey, orderLookupKey } = await import("../../../shared/data/orders");
  const { customerKey } = await import("../../../shared/data/customers");
  const { batchGetItems, keyString } = await import("../../../shared/data/batch");
  const times: number[] = [];
  const pending = new Map<string, number>();
  let sent = 0;
  let failed = 0;
  log(`${E2E_DELIVERIES} deliveries at ${E2E_RATE_PER_SECOND}/s, each followed until readable`);
  const customerIds = new Map<string, number>();
  let lastReport = performance.now();
  // Every 50 ms, two BatchGetItems (light enough not to slow what is measured): the orders not yet
  // seen (their customer), then the customers of those seen, whose stats must count the order.
  const watcher = (async () => {
    while (sent < E2E_DELIVERIES || pending.size > 0) {
      const unseen = [...pending.keys()].filter((externalId) => !customerIds.has(externalId));
      const lookups = await batchGetItems(unseen.map((externalId) => orderLookupKey(storefrontId, externalId)));
      const orderOf = new Map(unseen.flatMap((externalId) => {
        const lookup = lookups.get(keyString(orderLookupKey(storefrontId, externalId)));
        return lookup ? [[externalId, Number(lookup.ecommerce_order_id)] as const] : [];
      }));
      const orders = await batchGetItems([...orderOf.values()].map(orderKey));
      for (const [externalId, orderId] of orderOf) {
        const order = orders.get(keyString(orderKey(orderId)));
        if (order) customerIds.set(externalId, Number(order.ecommerce_customer_id));
      }
      const seen = [...pending].filter(([externalId]) => customerIds.has(externalId));
      const customers = await batchGetItems(seen.map(([externalId]) => customerKey(customerIds.get(externalId)!)));
      for (const [externalId, ackedAt] of seen) {
        if (Number(customers.get(keyString(customerKey(customerIds.get(externalId)!)))?.total_orders ?? 0) !== 1) continue;
        times.push(performance.now() - ackedAt);
        pending.delete(externalId);
      }
      await delay(50);
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        log(`  sent ${sent}, readable ${times.length}, imported (stats pending) ${[...pending.keys()].filter((id) => customerIds.has(id)).length}, not imported ${[...pending.keys()].filter((id) => !customerIds.has(id)).length}`);
      }
    }
  })();
  const started = performance.now();
  for (let n = 0; n < E2E_DELIVERIES; n++) {
    const due = started + (n * 1000) / E2E_RATE_PER_SECOND;
    if (due > performance.now()) await delay(due - performance.now());
    const body = orderDelivery(100_000 + n);
    void send(stack, code, body).then((result) => {
      if (result.status === 202) pending.set(String(9_000_000_000 + 100_000 + n), performance.now());
      else failed += 1;
      sent += 1;
    });
  }
  await Promise.race([watcher, delay(120_000).then(() => Promise.reject(new Error(`${pending.size} deliveries still not readable after 120 s`)))]);
  return { count: times.length, failed, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) };
}

async function run(context: SuiteContext): Promise<SuiteReport> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  return withEmulators(context.workDir, async (base) => {
    const intakeOnly = { functions: functions.filter((fn) => fn.trigger.type === "http" || fn.trigger.type === "authorizer"), queues };
    const intake = await withStack(base, "webhook-intake", intakeOnly, (stack) => measureIntake(stack, base.endpoints.dynamodb, context.log));
    const endToEnd = await withStack(base, "webhook-e2e", { functions, queues }, (stack) => measureEndToEnd(stack, context.log));

    const intakeRatio = intake.acceptedPerSecond / intake.rawPerSecond;
    const checks = { ratio: intakeRatio >= INTAKE_RATIO_TARGET, p99: intake.p99 < INTAKE_P99_TARGET_MS, e2e: endToEnd.p95 < E2E_P95_TARGET_MS && endToEnd.failed === 0 };
    return {
      tables: [
        {
          title: `Intake: ${INTAKE_DELIVERIES} signed orders/create deliveries (${intake.bodyBytes} bytes) from ${SENDERS} senders`,
          columns: [{ header: "Figure" }, { header: "Value", align: "right" }, { header: "Target", align: "right" }, { header: "" }],
          rows: [
            ["Acknowledged/s", intake.acceptedPerSecond.toFixed(0), "", ""],
            [`Raw PutItem/s (same size, ${SENDERS} in flight; before ${intake.rawBefore.toFixed(0)}, after ${intake.rawAfter.toFixed(0)})`, intake.rawPerSecond.toFixed(0), "", ""],
            ["Acknowledged / raw PutItem", ratio(intakeRatio), `>= ${INTAKE_RATIO_TARGET}`, verdict(checks.ratio)],
            ["Acknowledgement p50 (ms)", intake.p50.toFixed(1), "", ""],
            ["Acknowledgement p99 (ms)", intake.p99.toFixed(1), `< ${INTAKE_P99_TARGET_MS}`, verdict(checks.p99)],
          ],
        },
        {
          title: `End to end: ${E2E_DELIVERIES} orders/create at ${E2E_RATE_PER_SECOND}/s, acknowledgement to order readable with customer stats`,
          columns: [{ header: "Figure" }, { header: "Value", align: "right" }, { header: "Target", align: "right" }, { header: "" }],
          rows: [
            ["p50 (ms)", endToEnd.p50.toFixed(0), "", ""],
            ["p95 (ms)", endToEnd.p95.toFixed(0), `< ${E2E_P95_TARGET_MS}`, verdict(checks.e2e)],
            ["max (ms)", endToEnd.max.toFixed(0), "", ""],
            ["not accepted", String(endToEnd.failed), "0", ""],
          ],
        },
      ],
      summary: [
        `Webhook intake: ${ratio(intakeRatio)} of raw PutItem (target >= ${INTAKE_RATIO_TARGET})${checks.ratio ? "" : " FAIL"}`,
        `Acknowledgement latency p50 ${intake.p50.toFixed(0)} ms, p99 ${intake.p99.toFixed(0)} ms (target < ${INTAKE_P99_TARGET_MS})${checks.p99 ? "" : " FAIL"}`,
        `Acknowledged to readable: p50 ${endToEnd.p50.toFixed(0)} ms, p95 ${endToEnd.p95.toFixed(0)} ms (target < ${E2E_P95_TARGET_MS})${checks.e2e ? "" : " FAIL"}`,
      ],
      notes: [
        "Intake runs on a stack without the worker and stream processors; locally every function shares one process, so in AWS (separate Lambdas) they would not compete with the intake either.",
        "End to end includes the local stack's polling: SQS long-poll by the queue poller, and the DynamoDB stream poller every 50 ms for the customer-stats processor.",
      ],
      failures: Object.values(checks).filter((pass) => !pass).length,
      figures: { intake, endToEnd, intakeRatio },
    };
  });
}
