/**
 * The `analytics` suite.
 *
 * 1. Read cost against the order count: `GET /api/ecommerce/analytics` for
 *    the default 30 days, on a storefront with 1,000 orders and one with
 *    100,000, both spread over the last 60 days (so that the period and the
 *    previous one are full) with the same 20-product catalog. Consumed read
 *    capacity (summed over every DynamoDB call of the handler) and median
 *    latency. Targets: ratios (100,000 / 1,000) under 1.2 and 1.5.
 *    The orders, products and aggregates are written with BatchWriteItem on a
 *    stack without stream processors: the aggregates are what the processor
 *    would have written, computed with its own contribution functions.
 * 2. Write amplification: orders imported through the API on the full stack;
 *    the analytics-counters processor's writes per order (items and write
 *    units), next to the aggregate items one order touches.
 */
import { performance } from "node:perf_hooks";
import { functions, queues } from "../../wiring";
import type { LocalStack } from "../../local/stack";
import { adminApi, createStorefront, inParallel, meterCapacity, verdict, withEmulators, withStack } from "../harness";
import { distribution } from "../stats";
import type { Suite, SuiteContext, SuiteReport } from "../suite";
import { ms, ratio } from "../units";

export const CAPACITY_RATIO_TARGET = 1.2;
export const LATENCY_RATIO_TARGET = 1.5;
const SMALL = 1_000;
const LARGE = 100_000;
const DAYS = 60;
const CATALOG = 20;
const WARM_UP_READS = 3;
const IMPORTS = 300;
const CLIENTS = 8;

export const analyticsSuite: Suite = {
  name: "analytics",
  description: "Analytics read cost against the order count, and the aggregates' write amplification",
  run,
};

const shared = async () => ({
  client: await import("../../../shared/data/client"),
  batch: await import("../../../shared/data/batch"),
  orders: await import("../../../shared/data/orders"),
  aggregates: await import("../../../shared/data/daily-aggregates"),
  daily: await import("../../../shared/analytics/daily-counters"),
  sketch: await import("../../../shared/analytics/customer-sketch"),
  dates: await import("../../../shared/domain/local-dates"),
});
type Shared = Awaited<ReturnType<typeof shared>>;

/** A plausible order: a daily pattern (busier at weekends), 1-3 lines, a customer pool a third of the orders, one in twenty cancelled. */
function orderRecord(modules: Shared, storefrontId: number, id: number, index: number, count: number, today: string) {
  const dayOffset = Math.floor((index * DAYS) / count);
  const date = modules.dates.addDays(today, -dayOffset);
  const hour = (index * 7) % 24;
  const lines = 1 + (index % 3);
  const product_quantities: Record<string, number> = {};
  const product_revenue_minor: Record<string, number> = {};
  let total = 0;
  for (let line = 0; line < lines; line++) {
    const product = String(storefrontId * 1000 + ((index * 13 + line * 7) % CATALOG) + 1);
    const quantity = 1 + ((index + line) % 2);
    const revenue = quantity * (1999 + ((index * 31) % 5000));
    product_quantities[product] = (product_quantities[product] ?? 0) + quantity;
    product_revenue_minor[product] = (product_revenue_minor[product] ?? 0) + revenue;
    total += revenue;
  }
  const order_date = `${date}T${String(hour).padStart(2, "0")}:15:00.000Z`;
  return {
    ecommerce_order_id: id,
    storefront_id: storefrontId,
    external_order_id: `bench-${id}`,
    ecommerce_customer_id: storefrontId * 10_000_000 + ((index * 7919) % Math.max(1, Math.floor(count / 3))),
    customer_email: `customer-${index}@example.com`,
    order_date,
    currency: "USD",
    time_zone: "UTC",
    subtotal_minor: total,
    total_minor: total,
    order_status: index % 20 === 0 ? "cancelled" : "confirmed",
    payment_status: index % 20 === 0 ? "voided" : "paid",
    fulfillment_status: index % 3 === 0 ? "fulfilled" : "unfulfilled",
    import_status: "imported",
    is_test_order: false,
    item_count: lines,
    product_quantities,
    product_revenue_minor,
    created_at: order_date,
    updated_at: order_date,
    version: 1,
  };
}

/** Orders, products and the aggregates the processor would have kept for them. */
async function seed(modules: Shared, storefrontId: number, count: number, firstId: number, today: string): Promise<void> {
  const writes: { put: Record<string, unknown> }[] = [];
  const daily = new Map<string, Record<string, number>>();
  const customers = new Map<string, number[]>();
  for (let product = 1; product <= CATALOG; product++) {
    const id = storefrontId * 1000 + product;
    writes.push({ put: { pk: `PRODUCT#${id}`, sk: "PRODUCT", entity: "product", ecommerce_product_id: id, storefront_id: storefrontId, product_name: `Bench product ${product}`, erp_sku: `SKU-${product}` } });
  }
  for (let index = 0; index < count; index++) {
    const order = orderRecord(modules, storefrontId, firstId + index, index, count, today);
    writes.push({ put: { ...modules.orders.orderKey(order.ecommerce_order_id), gsi1pk: modules.orders.ordersCollection(storefrontId), gsi1sk: modules.orders.collectionSortOf(order), entity: "order", ...order } });
    const image = modules.daily.dailyOrderOf(order);
    for (const [bucket, counters] of modules.daily.orderDailyContribution(image)) {
      const sum = daily.get(bucket) ?? {};
      for (const [name, amount] of Object.entries(counters)) sum[name] = (sum[name] ?? 0) + amount;
      daily.set(bucket, sum);
    }
    const counted = modules.daily.orderCustomerDay(image);
    if (counted) customers.set(counted.bucket, [...(customers.get(counted.bucket) ?? []), counted.customerId]);
  }
  for (const [bucket, counters] of daily) {
    const { storefrontId: id, date } = modules.daily.parseDayBucket(bucket);
    for (const { key, add } of modules.aggregates.dailyCounterUpdates(id, date, counters)) writes.push({ put: { ...key, ...add } });
  }
  for (const [bucket, ids] of customers) {
    const { storefrontId: id, date } = modules.daily.parseDayBucket(bucket);
    const sketch = modules.sketch.sketchOf(ids);
    writes.push({ put: { ...modules.aggregates.customerSketchKey(id, date), entity: "customer_sketch", ids: sketch.ids, registers: sketch.registers, version: 1 } });
  }
  const chunks = Math.ceil(writes.length / 25);
  await inParallel(chunks, 16, (chunk) => modules.batch.batchWriteItems(writes.slice(chunk * 25, chunk * 25 + 25)));
}

async function measureReads(stack: LocalStack, modules: Shared, storefrontId: number, runs: number) {
  const api = await adminApi(stack);
  const { meter, stop } = meterCapacity(modules.client.documentClient);
  try {
    const capacities: number[] = [];
    const latencies: number[] = [];
    let last: any;
    for (let run = 0; run < WARM_UP_READS + runs; run++) {
      meter.capacity = 0;
      const started = performance.now();
      const response = await api.call("GET", `/api/ecommerce/analytics?storefront_id=${storefrontId}`);
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`Analytics failed: ${JSON.stringify(response.body).slice(0, 300)}`);
      last = response.body;
      if (run < WARM_UP_READS) continue;
      capacities.push(meter.capacity);
      latencies.push(elapsed);
    }
    return { capacityUnits: distribution(capacities).median, latencyMs: distribution(latencies), totalOrders: last.sales_metrics.total_orders as number, estimated: last.sales_metrics.unique_customers_estimated as boolean };
  } finally {
    stop();
  }
}

/** Orders imported through the API; what the analytics-counters processor wrote for them. */
async function measureWrites(context: SuiteContext, stack: LocalStack) {
  const modules = await shared();
  const api = await adminApi(stack);
  const storefrontId = await createStorefront(api, "BENCH-ANALYTICS-WRITES");
  const products: string[] = [];
  for (let index = 0; index < 5; index++) {
    const body = { storefront_id: storefrontId, external_product_id: `w-${index}`, product_name: `Product ${index}`, price: "19.99", inventory_quantity: 1000 };
    if ((await api.call("POST", "/api/ecommerce/products", body)).status !== 201) throw new Error("product create failed");
    products.push(body.external_product_id);
  }
  await stack.drain(60_000);
  const written = { items: 0, markers: 0 };
  const isAnalytics = (key: Record<string, unknown>) => /#DAILY$/.test(String(key.pk)) || String(key.pk).startsWith("APPLIED#analytics-counters#") || String(key.sk) === "STATS#CUSTOMERS";
  const name = "benchAnalyticsWrites";
  modules.client.documentClient.middlewareStack.add(
    (next, commandContext) => async (args) => {
      const input = args.input as { TransactItems?: { Put?: { Item: Record<string, unknown> }; Update?: { Key: Record<string, unknown> } }[]; Item?: Record<string, unknown> };
      const keys =
        commandContext.commandName === "TransactWriteItemsCommand"
          ? input.TransactItems!.map((action) => action.Put?.Item ?? action.Update?.Key ?? {})
          : commandContext.commandName === "PutCommand" && input.Item
            ? [input.Item]
            : [];
      const ours = keys.filter(isAnalytics);
      const result = await next(args);
      written.items += ours.length;
      written.markers += ours.filter((key) => String(key.pk).startsWith("APPLIED#")).length;
      return result;
    },
    { step: "initialize", name },
  );
  try {
    context.log(`importing ${IMPORTS} orders through the API`);
    await inParallel(IMPORTS, CLIENTS, async (index) => {
      const quantity = 1 + (index % 3);
      const body = {
        storefront_id: storefrontId,
        external_order_id: `w-order-${index}`,
        customer_email: `buyer-${index % 100}@example.com`,
        order_date: new Date(Date.UTC(2025, 0, 1 + (index % 30), 12)).toISOString(),
        total_amount: (quantity * 19.99).toFixed(2),
        currency: "USD",
        line_items: [{ external_product_id: products[index % products.length], product_name: "Product", quantity, unit_price: "19.99" }],
      };
      const response = await api.call("POST", "/api/ecommerce/orders", body);
      if (response.status !== 201) throw new Error(`Import failed: ${JSON.stringify(response.body).slice(0, 300)}`);
    });
    await stack.drain(120_000);
  } finally {
    modules.client.documentClient.middlewareStack.remove(name);
  }
  return { orders: IMPORTS, itemsPerOrder: written.items / IMPORTS, markersPerOrder: written.markers / IMPORTS };
}

async function run(context: SuiteContext): Promise<SuiteReport> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  return withEmulators(context.workDir, async (base) => {
    const writes = await withStack(base, "analytics-writes", undefined, (stack) => measureWrites(context, stack), { pollIntervalMs: 100, dropTable: true });

    const withoutStreams = { functions: functions.filter((fn) => fn.trigger.type !== "stream"), queues };
    const reads = await withStack(
      base,
      "analytics-reads",
      withoutStreams,
      async (stack) => {
        const modules = await shared();
        const api = await adminApi(stack);
        const small = await createStorefront(api, "BENCH-1K-ORDERS");
        const large = await createStorefront(api, "BENCH-100K-ORDERS");
        const today = modules.dates.localDate(new Date(), "UTC");
        context.log(`seeding ${SMALL} and ${LARGE} orders over ${DAYS} days, with their aggregates`);
        const started = performance.now();
        await seed(modules, small, SMALL, 1, today);
        await seed(modules, large, LARGE, SMALL + 1, today);
        context.log(`seeded in ${ms(performance.now() - started)} ms; reading the analytics ${context.runs} times each`);
        return {
          small: { orders: SMALL, ...(await measureReads(stack, modules, small, context.runs)) },
          large: { orders: LARGE, ...(await measureReads(stack, modules, large, context.runs)) },
        };
      },
      { pollIntervalMs: 100, dropTable: true },
    );

    const capacityRatio = reads.large.capacityUnits / reads.small.capacityUnits;
    const latencyRatio = reads.large.latencyMs.median / reads.small.latencyMs.median;
    const capacityPass = capacityRatio < CAPACITY_RATIO_TARGET;
    const latencyPass = latencyRatio < LATENCY_RATIO_TARGET;
    return {
      tables: [
        {
          title: `GET /api/ecommerce/analytics, default 30 days (orders over the last ${DAYS} days, ${CATALOG} products; median of ${context.runs} reads after ${WARM_UP_READS} warm-up reads)`,
          columns: [
            { header: "Orders in the table" },
            { header: "Orders in the period", align: "right" },
            { header: "Read capacity units", align: "right" },
            { header: "Latency ms", align: "right" },
            { header: "p90", align: "right" },
            { header: "Customers estimated", align: "right" },
          ],
          rows: [reads.small, reads.large].map((figures) => [
            String(figures.orders),
            String(figures.totalOrders),
            figures.capacityUnits.toFixed(1),
            ms(figures.latencyMs.median),
            ms(figures.latencyMs.p90),
            figures.estimated ? "yes" : "no",
          ]),
        },
        {
          title: `Write amplification: ${writes.orders} orders imported through the API (one customer in three new, one product line each)`,
          columns: [{ header: "Figure" }, { header: "Per order", align: "right" }],
          rows: [
            ["Aggregate items an order touches (day counters, day products, day customers)", "3"],
            ["Items the analytics-counters processor wrote (markers included)", writes.itemsPerOrder.toFixed(2)],
            ["of which apply-once markers", writes.markersPerOrder.toFixed(2)],
          ],
        },
        {
          title: "Ratios and targets",
          columns: [{ header: "Figure" }, { header: "Value", align: "right" }, { header: "Target" }, { header: "" }],
          rows: [
            ["Read capacity, 100,000 / 1,000 orders", ratio(capacityRatio), `< ${CAPACITY_RATIO_TARGET}`, verdict(capacityPass)],
            ["Latency, 100,000 / 1,000 orders", ratio(latencyRatio), `< ${LATENCY_RATIO_TARGET}`, verdict(latencyPass)],
          ],
        },
      ],
      summary: [
        `Analytics read capacity 100k/1k orders: ${ratio(capacityRatio)} (target < ${CAPACITY_RATIO_TARGET})${capacityPass ? "" : " FAIL"}`,
        `Analytics latency 100k/1k orders: ${ratio(latencyRatio)} (target < ${LATENCY_RATIO_TARGET})${latencyPass ? "" : " FAIL"}`,
        `Write amplification: ${writes.itemsPerOrder.toFixed(2)} analytics items written per imported order (markers included), for 3 aggregate items it touches`,
      ],
      notes: [
        "Read capacity is what DynamoDB Local reports with ReturnConsumedCapacity=TOTAL, summed over the handler's calls: the storefront, three key-range Queries of the day items (counters over 61 days, products and customer sketches over 31), the catalog counters and the top products' BatchGetItem.",
        "The day items' size does not grow with orders: counters are fixed, customer sketches are at most 100 ids plus 1 KB of registers, and the product counters grow with the distinct products sold that day, bounded by the catalog.",
        "Items written count every item of the processor's transactions and puts: one marker per stream record with changes (customer records included), the day's counter and product items (merged across the records of one batch), the customer sketch when a customer is new to the day, and STATS#CUSTOMERS. Write units are not given: DynamoDB Local does not report them per item for transactions (each transactional write of an item under 1 KB costs 2 WCU in AWS).",
      ],
      failures: [capacityPass, latencyPass].filter((pass) => !pass).length,
      figures: { reads, writes, capacityRatio, latencyRatio },
    };
  });
}
