/**
 * The `propagation` suite: one ERP stock pushed to every channel.
 *
 * A SKU is listed on a custom storefront (A), a WooCommerce storefront (B)
 * and a Shopify storefront (C), each platform a simulator on loopback reached
 * by the real connectors. 200 orders of one unit are taken on A, two a second
 * (each imported, then fulfilled through the API: fulfilment is when stock
 * leaves). For each order, the time from its import request until both B's
 * and C's simulators hold a quantity that counts it (the quantity after it, or
 * a later one: pushes of one SKU within the coalescing window go out as one).
 * Target: p95 < 3 s, with the local stack polling as `npm start` does
 * (streams every 200 ms, queues by long poll).
 */
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { functions, queues } from "../../wiring";
import type { LocalStack } from "../../local/stack";
import { startShopifySimulator } from "../../local/platforms/shopify-simulator";
import { startWooCommerceSimulator } from "../../local/platforms/woocommerce-simulator";
import { adminApi, createStorefront, verdict, withEmulators, withStack, type BenchApi } from "../harness";
import { percentile } from "../stats";
import type { Suite, SuiteContext, SuiteReport } from "../suite";

export const PROPAGATION_P95_TARGET_MS = 3_000;
const ORDERS = 200;
const ORDERS_PER_SECOND = 2;
const STOCK = 100_000;
const SKU = "BENCH-DESK";
const LOCAL_STACK_POLL_MS = 200;
const KEY = "ck_bench";
const SECRET = "cs_bench";
const TOKEN = "shpat_bench";

export const propagationSuite: Suite = {
  name: "propagation",
  description: "An order on one storefront until two other platforms hold the new quantity of its SKU",
  run,
};

async function expectCreated(api: BenchApi, path: string, body: unknown): Promise<any> {
  const response = await api.call("POST", path, body);
  if (response.status >= 300) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The three channels, each listing the SKU with the same stock; returns how to read B's and C's platform levels. */
async function channels(api: BenchApi) {
  const woo = await startWooCommerceSimulator({ consumerKey: KEY, consumerSecret: SECRET });
  woo.seedProducts({
    id: 501, name: "Standing Desk", slug: "standing-desk", type: "simple", status: "publish", featured: false, description: "", short_description: "",
    sku: SKU, price: "499.00", regular_price: "499.00", sale_price: "", on_sale: false, manage_stock: true, stock_quantity: STOCK, backorders: "no",
    low_stock_amount: 5, weight: "", dimensions: { length: "", width: "", height: "" }, categories: [], tags: [], images: [], variations: [], date_modified_gmt: "2024-05-01T00:00:00",
  });
  const shop = await startShopifySimulator({ accessToken: TOKEN });
  shop.seedProducts({
    id: 601, title: "Standing Desk", handle: "standing-desk", updatedAt: "2024-05-01T00:00:00Z", options: [{ name: "Title", position: 1 }],
    variants: [{ id: 701, title: "Default Title", sku: SKU, price: "499.00", inventoryItemId: 801, selectedOptions: [{ name: "Title", value: "Default Title" }] }],
  });
  shop.setLevel(801, STOCK);
  const noPulls = { auto_sync_products: false, auto_sync_orders: false, auto_sync_customers: false };
  const a = await createStorefront(api, "BENCH-A", { platform_type: "custom", ...noPulls });
  const b = await createStorefront(api, "BENCH-B", { platform_type: "woocommerce", api_endpoint: woo.url, api_key: KEY, api_secret: SECRET, ...noPulls });
  const c = await createStorefront(api, "BENCH-C", { platform_type: "shopify", api_endpoint: shop.url, api_token: TOKEN, ...noPulls });
  await expectCreated(api, "/api/ecommerce/products", { storefront_id: a, external_product_id: "desk", external_sku: SKU, erp_sku: SKU, product_name: "Standing Desk", price: "499.00", inventory_quantity: STOCK });
  await expectCreated(api, "/api/ecommerce/products", { storefront_id: b, external_product_id: "501", external_sku: SKU, product_name: "Standing Desk", price: "499.00", inventory_quantity: STOCK });
  const onShopify = await expectCreated(api, "/api/ecommerce/products", { storefront_id: c, external_product_id: "601", product_name: "Standing Desk", price: "499.00" });
  await expectCreated(api, `/api/ecommerce/products/${onShopify.product.ecommerce_product_id}/variants`, { external_variant_id: "701", sku: SKU, inventory_quantity: STOCK });
  return {
    storefrontA: a,
    levels: () => ({ b: Number(woo.products.get(501)!.stock_quantity), c: shop.levelOf(801) ?? STOCK }),
    pushes: () => ({ b: woo.stockUpdates.length, c: shop.inventoryUpdates.length }),
    stop: async () => {
      await Promise.all([woo.stop(), shop.stop()]);
    },
  };
}

function orderBody(storefrontId: number, n: number) {
  return {
    storefront_id: storefrontId,
    external_order_id: `bench-${n}`,
    customer_email: `bench-${n}@example.com`,
    order_date: new Date().toISOString(),
    total_amount: "499.00",
    currency: "USD",
    order_status: "confirmed",
    payment_status: "paid",
    line_items: [{ external_item_id: `bench-${n}-1`, product_name: "Standing Desk", sku: SKU, quantity: 1, unit_price: "499.00", total_amount: "499.00" }],
  };
}

async function measure(stack: LocalStack, log: (message: string) => void) {
  const api = await adminApi(stack);
  const channel = await channels(api);
  try {
    // Wait for the listings' first publication, so that every order after this is measured from a settled start.
    for (let waited = 0; channel.pushes().b === 0 || channel.pushes().c === 0; waited += 50) {
      if (waited > 30_000) throw new Error("the listings were never published");
      await delay(50);
    }
    const pushesBefore = channel.pushes();
    const startedAt = new Map<number, number>();
    const times: number[] = [];
    const failures: string[] = [];
    let settled = 0;
    let taken = 0;
    // Every 10 ms: which orders do B's and C's levels count now? (Reading the simulators' memory costs nothing.)
    const watcher = (async () => {
      const deadline = () => performance.now() > (startedAt.get(ORDERS - 1) ?? Infinity) + 30_000;
      while (settled < ORDERS && !deadline()) {
        const { b, c } = channel.levels();
        const counted = Math.min(STOCK - b, STOCK - c);
        for (; settled < counted && settled < taken; settled++) times.push(performance.now() - startedAt.get(settled)!);
        await delay(10);
      }
    })();
    log(`${ORDERS} orders of one unit on A, ${ORDERS_PER_SECOND} a second, each followed until B and C count it`);
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let n = 0; n < ORDERS; n++) {
      const due = started + (n * 1000) / ORDERS_PER_SECOND;
      if (due > performance.now()) await delay(due - performance.now());
      startedAt.set(n, performance.now());
      sends.push(
        (async () => {
          const order = await api.call("POST", "/api/ecommerce/orders", orderBody(channel.storefrontA, n));
          if (order.status >= 300) throw new Error(`order ${n}: ${order.status} ${JSON.stringify(order.body)}`);
          const fulfilled = await api.call("POST", `/api/ecommerce/orders/${order.body.order.ecommerce_order_id}/fulfill`, {});
          if (fulfilled.status !== 200) throw new Error(`fulfil ${n}: ${fulfilled.status} ${JSON.stringify(fulfilled.body)}`);
        })().catch((error: Error) => void failures.push(error.message)),
      );
      // Orders are counted in sequence: the n-th unit that left is order n's (they are taken in order, one at a time per request).
      taken = n + 1;
    }
    await Promise.all(sends);
    await watcher;
    if (failures.length > 0) throw new Error(`${failures.length} orders failed: ${failures[0]}`);
    const pushes = channel.pushes();
    return {
      orders: ORDERS,
      propagated: times.length,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: Math.max(...times),
      pushesB: pushes.b - pushesBefore.b,
      pushesC: pushes.c - pushesBefore.c,
      final: channel.levels(),
    };
  } finally {
    await channel.stop();
  }
}

async function run(context: SuiteContext): Promise<SuiteReport> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  return withEmulators(context.workDir, async (base) => {
    const figures = await withStack(base, "propagation", { functions, queues }, (stack) => measure(stack, context.log), { pollIntervalMs: LOCAL_STACK_POLL_MS });
    const pass = figures.propagated === ORDERS && figures.p95 < PROPAGATION_P95_TARGET_MS;
    return {
      tables: [
        {
          title: `Propagation: ${ORDERS} orders on A at ${ORDERS_PER_SECOND}/s, import request to the new quantity on both B (WooCommerce) and C (Shopify)`,
          columns: [{ header: "Figure" }, { header: "Value", align: "right" }, { header: "Target", align: "right" }, { header: "" }],
          rows: [
            ["Orders counted on both platforms", `${figures.propagated} / ${ORDERS}`, String(ORDERS), ""],
            ["p50 (ms)", figures.p50.toFixed(0), "", ""],
            ["p95 (ms)", figures.p95.toFixed(0), `< ${PROPAGATION_P95_TARGET_MS}`, verdict(pass)],
            ["max (ms)", figures.max.toFixed(0), "", ""],
            ["Pushes to B / to C (coalesced)", `${figures.pushesB} / ${figures.pushesC}`, "", ""],
            ["Final quantity on B / C", `${figures.final.b} / ${figures.final.c}`, `${STOCK - ORDERS}`, ""],
          ],
        },
      ],
      summary: [`Stock propagation p50 ${figures.p50.toFixed(0)} ms, p95 ${figures.p95.toFixed(0)} ms (target < ${PROPAGATION_P95_TARGET_MS})${pass ? "" : " FAIL"}`],
      notes: [
        `Includes the coalescing window (a push waits 1 s after the first change that asks for it), two stream hops (order item -> inventory, product -> channel stock) polled every ${LOCAL_STACK_POLL_MS} ms, and the queue's long poll.`,
        "Every function shares one process on this machine; in AWS, streams and queues are polled by the Lambda service.",
      ],
      failures: pass ? 0 : 1,
      figures,
    };
  });
}
