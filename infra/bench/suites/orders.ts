/**
 * The `orders` suite.
 *
 * 1. Write cost: consumed write capacity to import one order of 1, 5 and 20
 *    line items (each linked to a catalog product, for a known customer),
 *    including everything the stream processors write once the stream has
 *    caught up, next to the number of items the import must create (the
 *    order, its lookup and its line items).
 * 2. Concurrency: 200 orders of one product by one customer from 32
 *    concurrent clients, each then fulfilled; once the stream has caught up,
 *    the product's stock and sales statistics, the customer's statistics and
 *    the storefront's counters must be exact. Imports per second are
 *    compared with raw PutItem of items of the same size, 32 in flight, on
 *    the same DynamoDB Local.
 * 3. The order list with statistics for a storefront of 1,000 orders and one
 *    of 50,000, compared by consumed read capacity. Target: ratio under 1.5.
 *    The orders are seeded with BatchWriteItem, with the STATS#ORDERS counters
 *    the processor would have summed, on a stack without stream processors.
 *
 * Capacity is metered by a middleware on the shared document client asking
 * DynamoDB for ReturnConsumedCapacity=TOTAL on every call; the local stack
 * runs the handlers and processors in this process, so their calls are counted too.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DynamoDBClient, type ConsumedCapacity } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { functions, queues } from "../../wiring";
import { freePort, startDynamoDbLocal, startSesEmulator, startSqsEmulator, type Emulator } from "../../local/emulators";
import type { LocalStack } from "../../local/stack";
import { adminApi, createStorefront, inParallel, verdict, withStack, type BenchApi as Api } from "../harness";
import type { Suite, SuiteContext, SuiteReport } from "../suite";
import { ratio } from "../units";

export const READ_RATIO_TARGET = 1.5;
const LINE_COUNTS = [1, 5, 20];
const CONCURRENT_ORDERS = 200;
const CLIENTS = 32;
const SMALL = 1_000;
const LARGE = 50_000;
const PAGE_SIZE = 50;
const WARM_UP_READS = 3;
const WRITE_COMMANDS = new Set(["PutItemCommand", "UpdateItemCommand", "DeleteItemCommand", "BatchWriteItemCommand"]);

export const ordersSuite: Suite = {
  name: "orders",
  description: "Order import write cost, concurrent imports against raw PutItem, order list cost against order count",
  run,
};

const shared = async () => ({
  client: await import("../../../shared/data/client"),
  batch: await import("../../../shared/data/batch"),
  orders: await import("../../../shared/data/orders"),
  records: await import("../../../shared/domain/order-records"),
  counters: await import("../../../shared/domain/order-counters"),
  storefronts: await import("../../../shared/data/storefronts"),
});
type Shared = Awaited<ReturnType<typeof shared>>;

async function expectOk(response: Promise<{ status: number; body: any }>, what: string) {
  const result = await response;
  if (result.status >= 300) throw new Error(`${what} failed: ${JSON.stringify(result.body).slice(0, 300)}`);
  return result.body;
}

/** An item's size as DynamoDB counts it: attribute names plus values (numbers about a byte per two digits). */
function itemBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === "boolean") return 1;
  if (typeof value === "string") return Buffer.byteLength(value);
  if (typeof value === "number") return Math.ceil(String(Math.abs(value)).replace(".", "").length / 2) + 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, entry) => sum + 1 + itemBytes(entry), 0);
  return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [name, entry]) => sum + Buffer.byteLength(name) + 1 + itemBytes(entry), 0);
}

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

type TransactAction = { Put?: { Item: Record<string, unknown> }; Update?: { Key: Record<string, unknown> }; Delete?: { Key: Record<string, unknown> }; ConditionCheck?: { Key: Record<string, unknown> } };

/**
 * Sums consumed capacity of the shared document client's calls, reads and
 * writes apart. DynamoDB Local reports a flat 4 units for any
 * TransactWriteItems, whatever it holds, so transactions are priced here as
 * AWS prices them: 2 units per KB of each item written, an update or delete
 * on the item's size (read back after the write with an unmetered client).
 */
/** What a written key is, for the write-cost breakdown: the key with its ids replaced by placeholders. */
export function itemKind(key: { pk?: unknown; sk?: unknown }): string {
  const generic = (part: unknown) => String(part ?? "").replace(/^APPLIED#([a-z-]+)#.*/, "APPLIED#$1#<event>").replace(/\d+/g, "<id>").replace(/EXTORDER#[^#]+/, "EXTORDER#<ext>");
  return `${generic(key.pk)} / ${generic(key.sk)}`;
}

function meterCapacity(modules: Shared, endpoint: string) {
  const meter = { read: 0, write: 0, requests: 0, byKind: new Map<string, number>() };
  const charge = (key: { pk?: unknown; sk?: unknown }, units: number) => meter.byKind.set(itemKind(key), (meter.byKind.get(itemKind(key)) ?? 0) + units);
  const name = "benchOrderCapacity";
  const sizer = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }));
  const transactionUnits = async (actions: TransactAction[]) => {
    let units = 0;
    for (const action of actions) {
      if (action.Put) {
        const put = 2 * writeUnits(itemBytes(action.Put.Item));
        units += put;
        charge(action.Put.Item, put);
      } else {
        const key = (action.Update ?? action.Delete ?? action.ConditionCheck)!.Key;
        const { Item } = await sizer.send(new GetCommand({ TableName: modules.client.tableName(), Key: key }));
        const unitsHere = action.ConditionCheck ? 1 : 2 * writeUnits(Item ? itemBytes(Item) : 1);
        units += unitsHere;
        charge(key, unitsHere);
      }
    }
    return units;
  };
  modules.client.documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = "TOTAL";
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      const reported = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      if (context.commandName === "TransactWriteItemsCommand") {
        // Awaited first: `meter.write += await ...` would read meter.write before the await and lose concurrent writes' units.
        const units = await transactionUnits((args.input as { TransactItems: TransactAction[] }).TransactItems);
        meter.write += units;
      }
      else if (WRITE_COMMANDS.has(context.commandName ?? "")) {
        meter.write += reported;
        const input = args.input as { Item?: Record<string, unknown>; Key?: Record<string, unknown>; RequestItems?: Record<string, { PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: { Key: Record<string, unknown> } }[]> };
        const keys = input.RequestItems ? Object.values(input.RequestItems).flat().map((request) => request.PutRequest?.Item ?? request.DeleteRequest!.Key) : [input.Item ?? input.Key ?? {}];
        for (const key of keys) charge(key, reported / keys.length);
      }
      else meter.read += reported;
      meter.requests += 1;
      return result;
    },
    { step: "initialize", name },
  );
  return {
    meter,
    stop: () => {
      modules.client.documentClient.middlewareStack.remove(name);
      sizer.destroy();
    },
  };
}

async function withDynamoDbLocal<T>(use: (endpoint: string) => Promise<T>): Promise<T> {
  const dynamodb = await startDynamoDbLocal({ port: await freePort() });
  try {
    return await use(dynamodb.endpoint);
  } finally {
    await dynamodb.stop();
  }
}


function orderBody(storefrontId: number, externalId: string, lines: { external_product_id: string; quantity: number }[], customer = "bench-customer") {
  return {
    storefront_id: storefrontId,
    external_order_id: externalId,
    external_order_number: `#${externalId}`,
    external_customer_id: customer,
    customer_email: `${customer}@example.com`,
    customer_first_name: "Bench",
    customer_last_name: "Customer",
    order_date: "2026-01-15T10:00:00Z",
    total_amount: 0,
    shipping_amount: "9.99",
    tax_amount: "4.00",
    currency: "USD",
    shipping_address: { first_name: "Bench", last_name: "Customer", address_line1: "1 Harbour Road", city: "Portsmouth", postal_code: "PO1 1AA", country: "GB" },
    order_status: "pending",
    payment_status: "paid",
    payment_method: "credit_card",
    line_items: lines.map((line, index) => ({ external_item_id: `${externalId}-${index}`, product_name: `Bench product ${index}`, sku: `SKU-${index}`, unit_price: "19.99", ...line })),
  };
}

async function createProducts(api: Api, storefrontId: number, count: number, inventory: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const product = await expectOk(api.call("POST", "/api/ecommerce/products", { storefront_id: storefrontId, external_product_id: `bench-${index}`, product_name: `Bench product ${index}`, price: "19.99", inventory_quantity: inventory }), "product");
    ids.push(product.product.external_product_id);
  }
  return ids;
}

/** Part 1: write capacity of one import and of what the processors write for it. */
async function measureWriteCost(stack: LocalStack, modules: Shared, endpoint: string, log: (message: string) => void) {
  const api = await adminApi(stack);
  const storefrontId = await createStorefront(api, "BENCH-WCU");
  const products = await createProducts(api, storefrontId, Math.max(...LINE_COUNTS), 1_000);
  // The customer exists already: the figures are those of a returning customer's order.
  await expectOk(api.call("POST", "/api/ecommerce/orders", orderBody(storefrontId, "warm-up", [{ external_product_id: products[0]!, quantity: 1 }])), "warm-up order");
  await stack.drain(60_000);
  const rows = [];
  for (const lines of LINE_COUNTS) {
    log(`import of ${lines} line item(s)`);
    const { meter, stop } = meterCapacity(modules, endpoint);
    try {
      await expectOk(api.call("POST", "/api/ecommerce/orders", orderBody(storefrontId, `wcu-${lines}`, products.slice(0, lines).map((id) => ({ external_product_id: id, quantity: 1 })))), "import");
      const importWrite = meter.write;
      await stack.drain(60_000);
      rows.push({ lines, itemsCreated: lines + 2, importWcu: importWrite, processorWcu: meter.write - importWrite, totalWcu: meter.write, byKind: Object.fromEntries([...meter.byKind].sort((a, b) => b[1] - a[1])) });
    } finally {
      stop();
    }
  }
  return rows;
}

async function measureRawPuts(endpoint: string, tableName: string, item: Record<string, unknown>, round: string): Promise<number> {
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }), { marshallOptions: { removeUndefinedValues: true } });
  try {
    const elapsed = await inParallel(CONCURRENT_ORDERS, CLIENTS, async (index) => {
      await raw.send(new PutCommand({ TableName: tableName, Item: { ...item, pk: `BENCH#RAW#${round}#${index}`, sk: "RAW", gsi1pk: `BENCH#RAW#${round}` } }));
    });
    return (CONCURRENT_ORDERS / elapsed) * 1000;
  } finally {
    raw.destroy();
  }
}

/** Part 2: 200 orders of one product by one customer, 32 clients; everything must end exact. */
async function measureConcurrency(stack: LocalStack, modules: Shared, endpoint: string, log: (message: string) => void) {
  const api = await adminApi(stack);
  const storefrontId = await createStorefront(api, "BENCH-CONC");
  const [product] = await createProducts(api, storefrontId, 1, 1_000);
  await stack.drain(60_000);
  // An order item of the size the imports write, for the raw PutItem comparison.
  const sample = modules.orders.orderItem(
    modules.records.newOrderRecord({ ecommerce_order_id: 1, ecommerce_customer_id: 1 }, modules.records.toImportedOrder(orderBody(storefrontId, "raw", [{ external_product_id: product!, quantity: 1 }]) as never, { default_currency: "USD", timezone: "UTC" }).fields, { product_quantities: {}, product_revenue_minor: {} }, new Date().toISOString()),
  );
  const rawBefore = await measureRawPuts(endpoint, stack.table.tableName, sample, "before");
  log(`${CONCURRENT_ORDERS} imports from ${CLIENTS} clients`);
  const orderIds: number[] = [];
  const importMs = await inParallel(CONCURRENT_ORDERS, CLIENTS, async (index) => {
    const body = await expectOk(api.call("POST", "/api/ecommerce/orders", orderBody(storefrontId, `conc-${index}`, [{ external_product_id: product!, quantity: 1 }], "the-one-customer")), "import");
    orderIds.push(body.order.ecommerce_order_id);
  });
  log("fulfilling every order");
  await inParallel(orderIds.length, CLIENTS, async (index) => {
    await expectOk(api.call("POST", `/api/ecommerce/orders/${orderIds[index]}/fulfill`, {}), "fulfil");
  });
  log("waiting for the stream processors to catch up");
  await stack.drain(300_000);
  const rawAfter = await measureRawPuts(endpoint, stack.table.tableName, sample, "after");
  const productView = await expectOk(api.call("GET", `/api/ecommerce/products?storefront_id=${storefrontId}&limit=1`), "product list");
  const details = await expectOk(api.call("GET", `/api/ecommerce/products/${productView.products[0].ecommerce_product_id}`), "product");
  const list = await expectOk(api.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&limit=1`), "order list");
  const customerId = (await expectOk(api.call("GET", `/api/ecommerce/orders/${orderIds[0]}`), "order")).order.ecommerce_customer_id;
  const customer = (await expectOk(api.call("GET", `/api/ecommerce/customers/${customerId}`), "customer")).customer;
  // Each order: 19.99 + 9.99 shipping + 4.00 tax = 33.98
  const expectedSpent = ((3398 * CONCURRENT_ORDERS) / 100).toFixed(2);
  const checks = {
    inventory: [details.inventory_quantity, 1_000 - CONCURRENT_ORDERS],
    product_order_count: [details.total_orders, CONCURRENT_ORDERS],
    product_quantity_sold: [details.total_quantity_sold, CONCURRENT_ORDERS],
    customer_total_orders: [customer.total_orders, CONCURRENT_ORDERS],
    customer_total_spent: [customer.total_spent, expectedSpent],
    storefront_orders: [list.statistics.total_orders, CONCURRENT_ORDERS],
    storefront_fulfilled: [list.statistics.fulfilled_orders, CONCURRENT_ORDERS],
    storefront_revenue: [list.statistics.total_revenue, expectedSpent],
  } as Record<string, [unknown, unknown]>;
  return { ordersPerSecond: (CONCURRENT_ORDERS / importMs) * 1000, rawBefore, rawAfter, rawPerSecond: (rawBefore + rawAfter) / 2, checks };
}

/** Part 3 seed: orders written as the import stores them, and the counters the processor would have summed. */
async function seedOrders(modules: Shared, storefrontId: number, count: number, firstId: number) {
  const statuses = ["pending", "confirmed", "processing", "fulfilled", "cancelled"] as const;
  const change = modules.counters.emptyChange();
  const writes: { put: Record<string, unknown> }[] = [];
  for (let index = 0; index < count; index++) {
    const id = firstId + index;
    const day = new Date(Date.UTC(2025, 0, 1) + index * 60_000).toISOString();
    const order = {
      ...modules.records.newOrderRecord(
        { ecommerce_order_id: id, ecommerce_customer_id: 1 },
        modules.records.toImportedOrder(
          {
            ...orderBody(storefrontId, `seed-${id}`, [{ external_product_id: "p", quantity: 1 }]),
            order_date: day,
            order_status: statuses[index % statuses.length]!,
            payment_status: "paid",
            fulfillment_status: "unfulfilled",
            import_status: "imported",
            is_test_order: false,
            requires_shipping: true,
            is_gift: false,
            tags: [],
            total_amount: "0",
          } as never,
          { default_currency: "USD", timezone: "UTC" },
        ).fields,
        { product_quantities: {}, product_revenue_minor: {} },
        day,
      ),
    };
    const deltas = modules.counters.orderDeltas(undefined, order);
    const add = deltas.storefronts.get(storefrontId)!;
    for (const [attribute, amount] of Object.entries(add.add)) change.add[attribute] = (change.add[attribute] ?? 0) + amount;
    for (const [map, entries] of Object.entries(add.addInMap)) {
      const target = (change.addInMap[map] ??= {});
      for (const [key, amount] of Object.entries(entries)) target[key] = (target[key] ?? 0) + amount;
    }
    writes.push({ put: modules.orders.orderItem(order) });
  }
  await inParallel(Math.ceil(writes.length / 25), 16, (chunk) => modules.batch.batchWriteItems(writes.slice(chunk * 25, chunk * 25 + 25)));
  await modules.client.documentClient.send(
    new PutCommand({ TableName: modules.client.tableName(), Item: { ...modules.storefronts.STATS_KEYS.orders(storefrontId), ...change.add, ...change.addInMap } }),
  );
}

async function measureList(api: Api, modules: Shared, endpoint: string, storefrontId: number, runs: number, expectedTotal: number) {
  const { meter, stop } = meterCapacity(modules, endpoint);
  try {
    const capacities: number[] = [];
    for (let run = 0; run < WARM_UP_READS + runs; run++) {
      meter.read = 0;
      const body = await expectOk(api.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&limit=${PAGE_SIZE}`), "order list");
      if (body.orders.length !== PAGE_SIZE || body.statistics.total_orders !== expectedTotal) throw new Error(`Unexpected order list: ${JSON.stringify(body.statistics)}`);
      if (run >= WARM_UP_READS) capacities.push(meter.read);
    }
    return capacities.sort((a, b) => a - b)[Math.floor(capacities.length / 2)]!;
  } finally {
    stop();
  }
}

async function run(context: SuiteContext): Promise<SuiteReport> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const emulators: Emulator[] = [];
  try {
    emulators.push(await startSqsEmulator({ port: await freePort() }), await startSesEmulator({ port: await freePort() }));
    const [sqs, ses] = emulators as [Emulator, Emulator];
    const credentialsKeyFile = join(context.workDir, "credentials.key");
    await writeFile(credentialsKeyFile, randomBytes(32).toString("base64"));
    const baseFor = (dynamodb: string) => ({ endpoints: { dynamodb, sqs: sqs.endpoint, ses: ses.endpoint }, credentialsKeyFile });
    const allFunctions = { functions, queues };

    // One DynamoDB Local for every part: the shared document client is created once, with the first endpoint it is given.
    const { writeCost, concurrency, reads } = await withDynamoDbLocal(async (dynamodb) => {
      const { writeCost, concurrency } = await withStack(baseFor(dynamodb), "orders-writes", allFunctions, async (stack) => {
        const modules = await shared();
        const writeCost = await measureWriteCost(stack, modules, dynamodb, context.log);
        const concurrency = await measureConcurrency(stack, modules, dynamodb, context.log);
        return { writeCost, concurrency };
      });
      const withoutStreams = { functions: allFunctions.functions.filter((fn) => fn.trigger.type !== "stream"), queues: allFunctions.queues };
      const reads = await withStack(baseFor(dynamodb), "orders-reads", withoutStreams, async (stack) => {
        const modules = await shared();
        const api = await adminApi(stack);
        const small = await createStorefront(api, "BENCH-1K");
        const large = await createStorefront(api, "BENCH-50K");
        context.log(`seeding ${SMALL} and ${LARGE} orders`);
        await seedOrders(modules, small, SMALL, 1);
        await seedOrders(modules, large, LARGE, SMALL + 1);
        return { small: await measureList(api, modules, dynamodb, small, context.runs, SMALL), large: await measureList(api, modules, dynamodb, large, context.runs, LARGE) };
      });
      return { writeCost, concurrency, reads };
    });

    const checksPass = Object.values(concurrency.checks).every(([actual, expected]) => actual === expected);
    const throughputRatio = concurrency.ordersPerSecond / concurrency.rawPerSecond;
    const readRatio = reads.large / reads.small;
    const readPass = readRatio < READ_RATIO_TARGET;
    return {
      tables: [
        {
          title: "Write capacity of one order import (returning customer, every line linked to a product), stream processors included",
          columns: [
            { header: "Line items", align: "right" },
            { header: "Items the import must create", align: "right" },
            { header: "WCU import", align: "right" },
            { header: "WCU processors", align: "right" },
            { header: "WCU total", align: "right" },
            { header: "WCU / item created", align: "right" },
          ],
          rows: writeCost.map((row) => [String(row.lines), String(row.itemsCreated), row.importWcu.toFixed(1), row.processorWcu.toFixed(1), row.totalWcu.toFixed(1), ratio(row.totalWcu / row.itemsCreated)]),
        },
        {
          title: "Where the write capacity of the 1- and 20-line imports goes, by item written (pk / sk, ids as <id>)",
          columns: [{ header: "Item" }, { header: "WCU, 1 line", align: "right" }, { header: "WCU, 20 lines", align: "right" }],
          rows: [...new Set(writeCost.flatMap((row) => Object.keys(row.byKind)))].map((kind) => [
            kind,
            (writeCost[0]!.byKind[kind] ?? 0).toFixed(1),
            (writeCost[writeCost.length - 1]!.byKind[kind] ?? 0).toFixed(1),
          ]),
        },
        {
          title: `Concurrency: ${CONCURRENT_ORDERS} orders of one product by one customer from ${CLIENTS} clients, each fulfilled`,
          columns: [{ header: "Figure" }, { header: "Actual", align: "right" }, { header: "Expected", align: "right" }, { header: "" }],
          rows: [
            ...Object.entries(concurrency.checks).map(([name, [actual, expected]]) => [name, String(actual), String(expected), verdict(actual === expected)]),
            ["Imports/s", concurrency.ordersPerSecond.toFixed(0), "", ""],
            [`Raw PutItem/s (${CLIENTS} in flight, same item size; before ${concurrency.rawBefore.toFixed(0)}, after ${concurrency.rawAfter.toFixed(0)})`, concurrency.rawPerSecond.toFixed(0), "", ""],
            ["Imports / raw PutItem", ratio(throughputRatio), "", ""],
          ],
        },
        {
          title: `Order list with statistics (limit=${PAGE_SIZE}; median of ${context.runs} reads)`,
          columns: [{ header: "Orders" }, { header: "Read capacity units", align: "right" }, { header: "Target" }, { header: "" }],
          rows: [
            [String(SMALL), reads.small.toFixed(1), "", ""],
            [String(LARGE), reads.large.toFixed(1), "", ""],
            ["ratio", ratio(readRatio), `< ${READ_RATIO_TARGET}`, verdict(readPass)],
          ],
        },
      ],
      summary: [
        `Order import WCU (1/5/20 lines): ${writeCost.map((row) => row.totalWcu.toFixed(1)).join(" / ")}`,
        `Concurrent orders end exact: ${checksPass ? "yes" : "no FAIL"}; imports/raw PutItem ${ratio(throughputRatio)}`,
        `Order list read capacity 50k/1k: ${ratio(readRatio)} (target < ${READ_RATIO_TARGET})${readPass ? "" : " FAIL"}`,
      ],
      notes: [
        "Items the import must create: the order, its (storefront, external id) lookup and one item per line.",
        "Writes beyond those: two sequence counters (order id, a block of item ids); the order-counters processor's marker, the storefront's STATS#ORDERS and one STATS item per product (a transaction, so each costs double); the customer-stats processor's order summary with the customer's version bump (a transaction) and the customer's statistics; the order-totals processor's write of the computed total, because these imports send total_amount 0 (an import whose totals add up writes nothing there); an update is charged on the full item size. The breakdown table lists every item written.",
        "A transaction write costs twice a plain write (TransactWriteItems is charged 2 WCU per KB per item). DynamoDB Local reports a flat 4 units for any transaction, so transactions are priced by the meter from the items' sizes; other calls use DynamoDB Local's figures.",
      ],
      failures: (checksPass ? 0 : 1) + (readPass ? 0 : 1),
      figures: { writeCost, concurrency, reads },
    };
  } finally {
    await Promise.all(emulators.map((emulator) => emulator.stop()));
  }
}
