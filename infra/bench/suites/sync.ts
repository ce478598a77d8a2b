/**
 * The `sync` suite: a full product sync (a run of kind "products" with no
 * cursor) of 2,000 and then 10,000 products of 3 variants each from the
 * Shopify simulator, through the sync path: the storefront's Shopify connector
 * (connectorFor a storefront whose api_endpoint is the simulator) paged by
 * pullChanges, each product applied by the domain code into DynamoDB Local.
 *
 * - API calls: every request the simulator received (by root field) against
 *   the minimum, ceil(products / largest page), the largest page being what
 *   Shopify's 1,000-point single-query limit leaves for the connector's
 *   products query as it asks for variants. Target: calls <= 1.10 x minimum.
 * - Throttle waits: the simulator runs at Shopify's standard-plan rate; the
 *   connector's waits (its counters) pass on a clock shared with the
 *   simulator, so they are counted and summed but not slept.
 * - Wall time and products per second, without those waits.
 * - Memory: the sync runs in a process of its own, sampled every 20 ms: peak
 *   heap over the baseline, 10,000 against 2,000. Target: <= 1.5x.
 */
import { randomUUID } from "node:crypto";
import { queues } from "../../wiring";
import { startShopifySimulator } from "../../local/platforms/shopify-simulator";
import { MAX_SINGLE_QUERY_COST, pageSizeWithinCost, requestedQueryCost } from "../../../shared/connectors/shopify-query-cost";
import { PRODUCTS_QUERY } from "../../../shared/connectors/shopify-queries";
import { verdict, withEmulators, withStack } from "../harness";
import type { Suite, SuiteContext, SuiteReport } from "../suite";
import { ratio } from "../units";
import { SIZES, seedCatalog } from "../sync/catalog";
import { runSyncInChild } from "../sync/run-in-child";
import { VirtualTime } from "../sync/virtual-clock";

export const CALLS_RATIO_TARGET = 1.1;
/**
 * Peak heap growth of the 10,000-product sync over the 2,000-product one. A
 * sync that keeps anything per product grows 5x; one that holds a page at a
 * time stays near 1x. 1.5 leaves room for where the collector happens to run
 * (peaks include garbage not yet collected) and still catches any growth in
 * proportion to the catalog, even a small one per product.
 */
export const MEMORY_RATIO_TARGET = 1.5;
const CATALOGS = [2_000, 10_000] as const;
/**
 * Shopify's standard plan: 100 points restored a second (its published
 * rate-limit table) into a bucket of 2,000 (what shops on the plan report as
 * throttleStatus.maximumAvailable). The simulator's defaults, 1,000 and 50,
 * are Shopify's older figures.
 */
const STANDARD_PLAN = { maximumAvailable: 2_000, restoreRate: 100 };
/** The most nodes Shopify returns in one page of a connection. */
const SHOPIFY_MAX_PAGE = 250;
const TOKEN = "shpat_bench_sync_0001";

export const syncSuite: Suite = {
  name: "sync",
  description: "Full Shopify product sync: API calls against the minimum, throttle waits, wall time, peak memory at 2,000 and 10,000 products",
  run,
};

/** The largest products page the connector can ask for: its products query, with its variants per product, under the single-query limit. */
async function pagePlan() {
  const { DEFAULT_SHOPIFY_OPTIONS } = await import("../../../shared/connectors/shopify");
  const variables = { query: null, variantsFirst: DEFAULT_SHOPIFY_OPTIONS.variantsPerProduct };
  const wanted = Math.min(SHOPIFY_MAX_PAGE, DEFAULT_SHOPIFY_OPTIONS.productPageSize);
  const pageSize = pageSizeWithinCost(PRODUCTS_QUERY, variables, "first", wanted, MAX_SINGLE_QUERY_COST);
  const costOf = (first: number) => requestedQueryCost(PRODUCTS_QUERY, { ...variables, first });
  return { variantsFirst: variables.variantsFirst, pageSize, pageCost: costOf(pageSize), perProductCost: costOf(2) - costOf(1) };
}

/** One catalog size on emulators of its own: DynamoDB Local slowed to a crawl for a second large table after the first was dropped. */
async function measureSync(context: SuiteContext, products: number) {
  return withEmulators(context.workDir, (base) =>
    // A stack without functions: the table, the queues and the environment the child inherits. Nothing in this process touches the table.
    withStack(base, `sync-${products}`, { functions: [], queues }, async () => {
      const time = new VirtualTime();
      const shop = await startShopifySimulator({ accessToken: TOKEN, ...STANDARD_PLAN, now: time.now });
      try {
        seedCatalog(shop, products);
        context.log(`full product sync of ${products} products (${products * SIZES.length} variants)`);
        // Creating the storefront tests its connection: only what the sync sends after that is counted.
        let before = { requests: 0, throttled: 0, byRoot: {} as Record<string, number> };
        const input = { shopUrl: shop.url, accessToken: TOKEN, storefrontCode: `BENCH-SYNC-${products}`, runId: randomUUID().replace(/-/g, "").slice(0, 24), expected: products };
        const result = await runSyncInChild(input, time, () => {
          before = { requests: shop.counters.requests, throttled: shop.counters.throttled, byRoot: { ...shop.counters.byRoot } };
        });
        const byRoot = Object.fromEntries(Object.entries(shop.counters.byRoot).map(([root, count]) => [root, count - (before.byRoot[root] ?? 0)]).filter(([, count]) => count !== 0));
        const simulator = { requests: shop.counters.requests - before.requests, throttled: shop.counters.throttled - before.throttled, byRoot };
        return { products, variants: products * SIZES.length, ...result, simulator, skippedMs: time.skippedMs };
      } finally {
        await shop.stop();
      }
    }),
  );
}

const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const duration = (ms: number) => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${seconds(ms)} s`);

async function run(context: SuiteContext): Promise<SuiteReport> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const plan = await pagePlan();
  const runs = [];
  for (const products of CATALOGS) runs.push(await measureSync(context, products));

  const rows = runs.map((each) => {
    const minimum = Math.ceil(each.products / plan.pageSize);
    const callsRatio = each.simulator.requests / minimum;
    return { ...each, minimum, callsRatio, callsPass: callsRatio <= CALLS_RATIO_TARGET, complete: each.progress.created === each.products && each.progress.failed === 0 };
  });
  const [small, large] = rows as [(typeof rows)[number], (typeof rows)[number]];
  const memoryRatio = large.memory.heapGrowth / small.memory.heapGrowth;
  const memoryPass = memoryRatio <= MEMORY_RATIO_TARGET;
  const label = (products: number) => `${products.toLocaleString("en-US")} products`;

  return {
    tables: [
      {
        title: `API calls: the connector's products query asks for ${plan.variantsFirst} variants a product (${plan.perProductCost} points each), so at most ${plan.pageSize} products fit the ${MAX_SINGLE_QUERY_COST}-point limit (${plan.pageCost} points a page)`,
        columns: [
          { header: "Catalog" },
          { header: "products queries", align: "right" },
          { header: "product (variants)", align: "right" },
          { header: "THROTTLED", align: "right" },
          { header: "Requests", align: "right" },
          { header: "Minimum", align: "right" },
          { header: "Ratio", align: "right" },
          { header: `<= ${CALLS_RATIO_TARGET}` },
        ],
        rows: rows.map((each) => [
          label(each.products),
          String(each.simulator.byRoot.products ?? 0),
          String(each.simulator.byRoot.product ?? 0),
          String(each.simulator.throttled),
          String(each.simulator.requests),
          String(each.minimum),
          ratio(each.callsRatio),
          verdict(each.callsPass),
        ]),
      },
      {
        title: `Time: the simulator at Shopify's standard plan (bucket ${STANDARD_PLAN.maximumAvailable}, ${STANDARD_PLAN.restoreRate} points/s); throttle waits counted, not slept`,
        columns: [
          { header: "Catalog" },
          { header: "Wall s", align: "right" },
          { header: "Products/s", align: "right" },
          { header: "Variants/s", align: "right" },
          { header: "Throttle waits", align: "right" },
          { header: "Waited", align: "right" },
          { header: "Points requested", align: "right" },
          { header: "DynamoDB requests/product", align: "right" },
          { header: "Standard plan, wall + waited", align: "right" },
        ],
        rows: rows.map((each) => [
          label(each.products),
          seconds(each.wallMs),
          ((each.products / each.wallMs) * 1000).toFixed(0),
          ((each.variants / each.wallMs) * 1000).toFixed(0),
          String(each.connector.throttleWaits),
          duration(each.connector.waitMs),
          String(each.connector.requestedCost),
          (Object.values(each.dynamodb).reduce((sum, count) => sum + count, 0) / each.products).toFixed(1),
          duration(each.wallMs + each.connector.waitMs),
        ]),
      },
      {
        title: "Memory of the sync's process (MB; sampled every 20 ms, baseline after a full GC just before the run)",
        columns: [
          { header: "Catalog" },
          { header: "Heap baseline", align: "right" },
          { header: "Heap peak", align: "right" },
          { header: "Heap growth", align: "right" },
          { header: "RSS baseline", align: "right" },
          { header: "RSS peak", align: "right" },
          { header: "RSS growth", align: "right" },
          { header: "Process max RSS", align: "right" },
          { header: "Heap retained after GC", align: "right" },
        ],
        rows: rows.map((each) => [
          label(each.products),
          mb(each.memory.baseline.heapUsed),
          mb(each.memory.peak.heapUsed),
          mb(each.memory.heapGrowth),
          mb(each.memory.baseline.rss),
          mb(each.memory.peak.rss),
          mb(each.memory.rssGrowth),
          mb(each.memory.maxRss),
          mb(each.memory.retainedAfterGc),
        ]),
      },
      {
        title: "Targets",
        columns: [{ header: "Figure" }, { header: "Value", align: "right" }, { header: "Target" }, { header: "" }],
        rows: [
          ...rows.map((each) => [`API requests / minimum, ${label(each.products)}`, ratio(each.callsRatio), `<= ${CALLS_RATIO_TARGET}`, verdict(each.callsPass)]),
          ["Peak heap growth, 10,000 / 2,000", ratio(memoryRatio), `<= ${MEMORY_RATIO_TARGET}`, verdict(memoryPass)],
          ["RSS growth, 10,000 / 2,000 (for information)", ratio(large.memory.rssGrowth / small.memory.rssGrowth), "", ""],
          ...rows.map((each) => [`Products created, ${label(each.products)} (failed ${each.progress.failed})`, String(each.progress.created), String(each.products), verdict(each.complete)]),
        ],
      },
    ],
    summary: [
      ...rows.map(
        (each) =>
          `Sync of ${label(each.products)}: ${each.simulator.requests} API requests for a minimum of ${each.minimum} (${ratio(each.callsRatio)}, target <= ${CALLS_RATIO_TARGET})${each.callsPass ? "" : " FAIL"}; ${seconds(each.wallMs)} s wall, ${((each.products / each.wallMs) * 1000).toFixed(0)} products/s; ${each.connector.throttleWaits} throttle waits totalling ${duration(each.connector.waitMs)}${each.complete ? "" : " FAIL (incomplete)"}`,
      ),
      `Peak heap growth 10k/2k: ${mb(large.memory.heapGrowth)} MB / ${mb(small.memory.heapGrowth)} MB = ${ratio(memoryRatio)} (target <= ${MEMORY_RATIO_TARGET})${memoryPass ? "" : " FAIL"}`,
    ],
    notes: [
      `Minimum = ceil(products / ${plan.pageSize}): the page size is derived from shared/connectors/shopify-query-cost.ts for the connector's own query and options, not written down here. Requests counts every request the simulator received, THROTTLED answers included.`,
      "Throttle waits run on a clock the connector shares with the simulator: a wait moves both clocks on at once, so the bucket refills as on a shop but the bench does not sleep. Wall time excludes the waits; 'wall + waited' is what a run at the standard plan's rate would take.",
      "The simulator charges the requested cost and refunds nothing; Shopify refunds the unrequested part after a query (a page of 3-variant products costs far less than it requests), so the waits are an upper bound for a real shop, though each page still needs its full requested cost free in the bucket before it runs.",
      "The run is carried out by the sync worker's own carryOutRun (attempt, pullChanges, progress per page, cursor, finish), in a process of its own, with a connector on the shared clock; only the queue message around it is left out.",
      `Memory target: peak heap growth (peak heapUsed over the pre-run baseline) at 10,000 products at most ${MEMORY_RATIO_TARGET}x that at 2,000. Anything kept per product would make it about 5x; the peaks include uncollected garbage, so some spread between runs is expected. 'Heap retained after GC' (a full GC once the run is over) tells growth from garbage.`,
      "Each catalog size runs on fresh emulators, with no function of the stack running: the stream processors a product write triggers run in other Lambdas in AWS and are not part of the sync's time or memory.",
    ],
    failures: [...rows.map((each) => each.callsPass && each.complete), memoryPass].filter((pass) => !pass).length,
    figures: { plan, standardPlan: STANDARD_PLAN, runs: rows, memoryRatio },
  };
}
