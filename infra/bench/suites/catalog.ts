/**
 * The `catalog` suite.
 *
 * 1. Reading the product list with statistics does not scan: the first page
 *    of `GET /api/ecommerce/products?storefront_id=X&limit=50` for a
 *    storefront of 1,000 products and one of 20,000, compared by consumed
 *    read capacity (summed over every DynamoDB call the handler makes) and by
 *    median latency. Targets: both ratios (20,000 / 1,000) under 1.5.
 * 2. Upsert throughput: 16 concurrent clients POSTing distinct products to
 *    the local stack, timed until its stream processors have caught up,
 *    against raw PutItem of items of the same size with 16 in flight, on the
 *    same DynamoDB Local. Target: at least 0.3 of the raw rate.
 *
 * The writes run first, with the full wiring, on a fresh DynamoDB Local. The
 * reads then seed with BatchWriteItem the items the domain writes (product
 * and external-id claim) plus each storefront's STATS#CATALOG computed from
 * them, on a stack without stream processors, so that nothing recounts the seed.
 */
import { performance } from "node:perf_hooks";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { functions, queues } from "../../wiring";
import type { LocalStack } from "../../local/stack";
import { adminApi, createStorefront, inParallel, meterCapacity, verdict, withStack, type BenchApi as Api, withEmulators } from "../harness";
import { distribution, median } from "../stats";
import type { Suite, SuiteContext, SuiteReport } from "../suite";
import { ms, ratio } from "../units";

/** The catalog's stacks poll every 100 ms and drop their tables after (the 20,000-product seed is large). */
const CATALOG_STACK = { pollIntervalMs: 100, dropTable: true };

export const READ_RATIO_TARGET = 1.5;
export const UPSERT_RATIO_TARGET = 0.3;
const SMALL_CATALOG = 1_000;
const LARGE_CATALOG = 20_000;
const PAGE_SIZE = 50;
const CLIENTS = 16;
const UPSERTS = 2_000;
/** Raw puts and upserts take turns in rounds, so that a slow spell of the machine weighs on both alike. */
const WRITE_ROUNDS = 4;
/** A first round, not counted, while the JVM behind DynamoDB Local and Node's JIT warm up. */
const WARM_UP_WRITES = 200;
const WARM_UP_READS = 3;

export const catalogSuite: Suite = {
  name: "catalog",
  description: "Product list cost against catalog size, and upsert throughput against raw PutItem",
  run,
};

/** Shared modules are imported once the environment points at the emulators, as in Lambda. */
const shared = async () => ({
  client: await import("../../../shared/data/client"),
  batch: await import("../../../shared/data/batch"),
  products: await import("../../../shared/data/products"),
  records: await import("../../../shared/domain/product-records"),
  stats: await import("../../../shared/domain/catalog-stats"),
  storefronts: await import("../../../shared/data/storefronts"),
});
type Shared = Awaited<ReturnType<typeof shared>>;

/** A product request as a connector sends it; `index` varies its fields the way a real catalog would. */
function productBody(storefrontId: number, index: number) {
  return {
    storefront_id: storefrontId,
    external_product_id: `gid-${storefrontId}-${index}`,
    external_sku: `SKU-${String(index).padStart(6, "0")}`,
    product_name: `Bench product ${index} — ergonomic office chair with lumbar support`,
    short_description: "Breathable mesh back, adjustable arms and seat height, five-year warranty.",
    price: `${100 + (index % 900)}.99`,
    compare_at_price: `${150 + (index % 900)}.00`,
    inventory_quantity: index % 37,
    low_stock_threshold: 5,
    weight: 12.5,
    featured_image_url: `https://cdn.example.com/products/${index}.jpg`,
    is_published: index % 4 !== 0,
    sync_status: (["synced", "synced", "synced", "pending", "error"] as const)[index % 5]!,
    tags: ["office", "chairs"],
    updated_at: "2026-01-01T00:00:00Z",
  };
}

/** The records the upsert would store for `productBody(storefrontId, index)`. */
function productRecord(modules: Shared, storefrontId: number, id: number, index: number) {
  const { storefront_id: _storefront, external_product_id, updated_at, ...fields } = productBody(storefrontId, index);
  const changes = modules.records.toProductChanges(fields, "USD");
  const now = new Date().toISOString();
  return modules.records.newProductRecord(
    { ecommerce_product_id: id, storefront_id: storefrontId, currency: "USD", external_product_id, product_name: fields.product_name, price_minor: changes.price_minor! },
    { last_synced_at: now, ...changes },
    now,
    new Date(updated_at).toISOString(),
  );
}


/** Writes a storefront's catalog with BatchWriteItem, and its counters as the stream processor would have summed them. */
async function seedCatalog(modules: Shared, storefrontId: number, size: number, firstId: number): Promise<void> {
  const records = Array.from({ length: size }, (_, index) => productRecord(modules, storefrontId, firstId + index, index));
  const writes = records.flatMap((record) => [{ put: modules.products.productItem(record) }, { put: modules.products.productLookupItem(record) }]);
  const chunks = Math.ceil(writes.length / 25);
  await inParallel(chunks, CLIENTS, (chunk) => modules.batch.batchWriteItems(writes.slice(chunk * 25, chunk * 25 + 25)));
  const counters = modules.stats.emptyCatalogCounters();
  for (const record of records) {
    for (const [counter, value] of Object.entries(modules.stats.catalogContribution(record))) counters[counter as keyof typeof counters] += value;
  }
  await modules.client.documentClient.send(
    new PutCommand({ TableName: modules.client.tableName(), Item: { ...modules.storefronts.STATS_KEYS.catalog(storefrontId), ...counters } }),
  );
}

interface ListFigures {
  capacityUnits: number;
  dynamoRequests: number;
  latencyMs: ReturnType<typeof distribution>;
  statisticsTotal: number;
}

async function measureList(api: Api, modules: Shared, storefrontId: number, runs: number): Promise<ListFigures> {
  const path = `/api/ecommerce/products?storefront_id=${storefrontId}&limit=${PAGE_SIZE}`;
  const { meter, stop } = meterCapacity(modules.client.documentClient);
  try {
    const latencies: number[] = [];
    const capacities: number[] = [];
    const requests: number[] = [];
    let last: { status: number; body: any } | undefined;
    for (let run = 0; run < WARM_UP_READS + runs; run++) {
      meter.capacity = 0;
      meter.requests = 0;
      const started = performance.now();
      last = await api.call("GET", path);
      const elapsed = performance.now() - started;
      if (last.status !== 200 || last.body.products.length !== PAGE_SIZE) throw new Error(`Unexpected product list: ${JSON.stringify(last.body).slice(0, 300)}`);
      if (run < WARM_UP_READS) continue;
      latencies.push(elapsed);
      capacities.push(meter.capacity);
      requests.push(meter.requests);
    }
    return {
      capacityUnits: distribution(capacities).median,
      dynamoRequests: distribution(requests).median,
      latencyMs: distribution(latencies),
      statisticsTotal: last!.body.statistics.total_products,
    };
  } finally {
    stop();
  }
}

/** PutItem of `count` items the size of a product's, `CLIENTS` in flight; items per second. */
async function measureRawPuts(modules: Shared, raw: DynamoDBDocumentClient, tableName: string, count: number, offset: number): Promise<number> {
  const elapsed = await inParallel(count, CLIENTS, async (index) => {
    const item = modules.products.productItem(productRecord(modules, 900_000, offset + index, offset + index));
    await raw.send(new PutCommand({ TableName: tableName, Item: { ...item, pk: `BENCH#RAW#${offset + index}`, sk: "RAW", gsi1pk: "BENCH#RAW" } }));
  });
  return (count / elapsed) * 1000;
}

/**
 * `count` distinct products POSTed by `CLIENTS` concurrent clients. Products
 * per second twice: as acknowledged to the clients, and until the stream
 * processors have caught up with them (their work is part of what each product
 * costs; the target is judged on this stricter figure).
 */
async function measureUpserts(api: Api, stack: LocalStack, storefrontId: number, count: number, offset: number) {
  const started = performance.now();
  await inParallel(count, CLIENTS, async (index) => {
    const response = await api.call("POST", "/api/ecommerce/products", productBody(storefrontId, offset + index));
    if (response.status !== 201) throw new Error(`Upsert failed: ${JSON.stringify(response.body)}`);
  });
  const acknowledged = performance.now() - started;
  await stack.drain(300_000);
  return { ackedPerSecond: (count / acknowledged) * 1000, upsertsPerSecond: (count / (performance.now() - started)) * 1000 };
}

interface WriteRound {
  rawPerSecond: number;
  ackedPerSecond: number;
  upsertsPerSecond: number;
  ratio: number;
}

async function measureWrites(context: SuiteContext, stack: LocalStack, endpoint: string) {
  const modules = await shared();
  const api = await adminApi(stack);
  const storefrontId = await createStorefront(api, "BENCH-UPSERT");
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }), { marshallOptions: { removeUndefinedValues: true } });
  const perRound = UPSERTS / WRITE_ROUNDS;
  const rounds: WriteRound[] = [];
  try {
    context.log(`warming up: ${WARM_UP_WRITES} raw puts and ${WARM_UP_WRITES} upserts`);
    await measureRawPuts(modules, raw, stack.table.tableName, WARM_UP_WRITES, UPSERTS);
    await measureUpserts(api, stack, storefrontId, WARM_UP_WRITES, UPSERTS);
    for (let round = 0; round < WRITE_ROUNDS; round++) {
      context.log(`write round ${round + 1}/${WRITE_ROUNDS}: ${perRound} raw puts and ${perRound} upserts, ${CLIENTS} in flight`);
      const offset = round * perRound;
      const rawPerSecond = await measureRawPuts(modules, raw, stack.table.tableName, perRound, offset);
      const { ackedPerSecond, upsertsPerSecond } = await measureUpserts(api, stack, storefrontId, perRound, offset);
      rounds.push({ rawPerSecond, ackedPerSecond, upsertsPerSecond, ratio: upsertsPerSecond / rawPerSecond });
    }
  } finally {
    raw.destroy();
  }
  const counted = (await api.call("GET", `/api/ecommerce/products?storefront_id=${storefrontId}&limit=1`)).body.statistics.total_products as number;
  return { rounds, ratio: median(rounds.map((each) => each.ratio)), counted };
}

/** Runs `use` against a stack on a table of its own, which is deleted afterwards so that its items weigh on nothing else. */

async function run(context: SuiteContext): Promise<SuiteReport> {
  // Per-request INFO logs would flood the report and time the terminal, not the hub.
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  return withEmulators(context.workDir, async (base) => {

    // Writes first, on a fresh DynamoDB Local: the 21,000 products seeded for the reads would slow it down for everything after.
    const writes = await withStack(base, "catalog-writes", undefined, (stack) => measureWrites(context, stack, base.endpoints.dynamodb), CATALOG_STACK);

    const withoutStreams = { functions: functions.filter((fn) => fn.trigger.type !== "stream"), queues };
    const reads = await withStack(base, "catalog-reads", withoutStreams, async (stack) => {
      const modules = await shared();
      const api = await adminApi(stack);
      const small = await createStorefront(api, "BENCH-1K");
      const large = await createStorefront(api, "BENCH-20K");
      context.log(`seeding ${SMALL_CATALOG} and ${LARGE_CATALOG} products`);
      const seedStarted = performance.now();
      await seedCatalog(modules, small, SMALL_CATALOG, 1);
      await seedCatalog(modules, large, LARGE_CATALOG, SMALL_CATALOG + 1);
      context.log(`seeded in ${ms(performance.now() - seedStarted)} ms; reading the first page ${context.runs} times each`);
      return {
        small: { products: SMALL_CATALOG, ...(await measureList(api, modules, small, context.runs)) },
        large: { products: LARGE_CATALOG, ...(await measureList(api, modules, large, context.runs)) },
      };
    }, CATALOG_STACK);

    const capacityRatio = reads.large.capacityUnits / reads.small.capacityUnits;
    const latencyRatio = reads.large.latencyMs.median / reads.small.latencyMs.median;
    const upsertRatio = writes.ratio;
    const capacityPass = capacityRatio < READ_RATIO_TARGET;
    const latencyPass = latencyRatio < READ_RATIO_TARGET;
    const upsertPass = upsertRatio >= UPSERT_RATIO_TARGET;
    const countsPass = writes.counted === UPSERTS + WARM_UP_WRITES;

    return {
      tables: [
        {
          title: `First page of the product list with statistics (limit=${PAGE_SIZE}; median of ${context.runs} reads after ${WARM_UP_READS} warm-up reads)`,
          columns: [
            { header: "Catalog" },
            { header: "Read capacity units", align: "right" },
            { header: "DynamoDB calls", align: "right" },
            { header: "Latency ms", align: "right" },
            { header: "p90", align: "right" },
            { header: "statistics.total_products", align: "right" },
          ],
          rows: [reads.small, reads.large].map((figures) => [
            `${figures.products} products`,
            figures.capacityUnits.toFixed(1),
            String(figures.dynamoRequests),
            ms(figures.latencyMs.median),
            ms(figures.latencyMs.p90),
            String(figures.statisticsTotal),
          ]),
        },
        {
          title: `Writes: ${UPSERTS / WRITE_ROUNDS} raw PutItem, then ${UPSERTS / WRITE_ROUNDS} upserts until the stream processors caught up, per round; ${CLIENTS} in flight`,
          columns: [
            { header: "Round" },
            { header: "Raw PutItem/s", align: "right" },
            { header: "Upserts/s acknowledged", align: "right" },
            { header: "Ratio", align: "right" },
            { header: "Upserts/s, streams caught up", align: "right" },
            { header: "Ratio", align: "right" },
          ],
          rows: writes.rounds.map((round, index) => [
            String(index + 1),
            round.rawPerSecond.toFixed(0),
            round.ackedPerSecond.toFixed(0),
            ratio(round.ackedPerSecond / round.rawPerSecond),
            round.upsertsPerSecond.toFixed(0),
            ratio(round.ratio),
          ]),
        },
        {
          title: "Ratios and targets",
          columns: [{ header: "Figure" }, { header: "Value", align: "right" }, { header: "Target" }, { header: "" }],
          rows: [
            ["Read capacity, 20,000 / 1,000", ratio(capacityRatio), `< ${READ_RATIO_TARGET}`, verdict(capacityPass)],
            ["Latency, 20,000 / 1,000", ratio(latencyRatio), `< ${READ_RATIO_TARGET}`, verdict(latencyPass)],
            ["Upserts / raw PutItem (median of the rounds)", ratio(upsertRatio), `>= ${UPSERT_RATIO_TARGET}`, verdict(upsertPass)],
            ["Counted products after the stream caught up", String(writes.counted), String(UPSERTS + WARM_UP_WRITES), verdict(countsPass)],
          ],
        },
      ],
      summary: [
        `Product list read capacity 20k/1k: ${ratio(capacityRatio)} (target < ${READ_RATIO_TARGET})${capacityPass ? "" : " FAIL"}`,
        `Product list latency 20k/1k: ${ratio(latencyRatio)} (target < ${READ_RATIO_TARGET})${latencyPass ? "" : " FAIL"}`,
        `Upsert throughput: ${ratio(upsertRatio)} of raw PutItem, median of ${WRITE_ROUNDS} rounds (target >= ${UPSERT_RATIO_TARGET})${upsertPass ? "" : " FAIL"}`,
        `Catalog counters after ${UPSERTS + WARM_UP_WRITES} upserts: ${writes.counted}${countsPass ? "" : " FAIL"}`,
      ],
      notes: [
        "Read capacity is what DynamoDB Local reports with ReturnConsumedCapacity=TOTAL, summed over the handler's calls: the product Query, the storefront GetItem, the counters' and the order counts' BatchGetItem.",
        "A created product costs a two-item TransactWriteItems (claim and product; ids come from blocks of 100, one sequence write per block; the storefront's currency is read at most every 5 s per instance), plus its share of the catalog-counters and sku-index processors' writes; raw PutItem writes one item of the same size.",
      ],
      failures: [capacityPass, latencyPass, upsertPass, countsPass].filter((pass) => !pass).length,
      figures: { reads, writes, capacityRatio, latencyRatio, upsertRatio },
    };
  });
}
