/**
 * Recomputes every aggregate the stream processors keep from the source
 * records (orders, carts, products, customers) and compares it with what is
 * stored: the analytics' daily counters and customer sketches, the storefront
 * counters (orders, carts, catalog, customers), the products' sales and the
 * categories' product counts, and each customer's statistics.
 *
 * A record's contribution is computed by the very functions the processors
 * use (as the difference from nothing), so a drift is a processor that missed,
 * doubled or misapplied a change. Repair writes the difference (counters) or
 * the recomputed value (sketches, customer statistics); run it while no
 * writes are flowing, as a change landing during the scan would be counted
 * once by its processor and once by the repair.
 */
import { PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "../data/client";
import { keyString, type TableKey } from "../data/batch";
import { STATS_KEYS } from "../data/storefronts";
import { productStatsKey } from "../data/products";
import { categoryStatsKey } from "../data/categories";
import { cartStatsKey } from "../data/carts";
import { customerKey, setCustomerStats } from "../data/customers";
import { customerSketchKey, dailyCounterUpdates } from "../data/daily-aggregates";
import { cartDeltas } from "../domain/cart-counters";
import { catalogDeltas } from "../domain/catalog-stats";
import { customerStats, type CustomerStats } from "../domain/customer-stats";
import { orderDeltas } from "../domain/order-counters";
import { countedCart } from "../streams/cart-counters";
import { countedProduct } from "../streams/catalog-counters";
import { countedOrder } from "../streams/order-counters";
import {
  cartDailyContribution,
  customerContribution,
  dailyCartOf,
  dailyOrderOf,
  orderCustomerDay,
  orderDailyContribution,
  parseDayBucket,
  type DailyCounters,
} from "./daily-counters";
import { sameSketch, sketchOf, type CustomerSketch } from "./customer-sketch";

type Item = Record<string, unknown>;
/** Flat counter name ("orders", or "revenue_minor.USD" inside a map) -> amount. */
type Flat = Record<string, number>;

export interface CounterDrift {
  kind: "counters";
  key: TableKey;
  counter: string;
  expected: number;
  stored: number;
}
export interface SketchDrift {
  kind: "customer_sketch";
  key: TableKey;
  expected: CustomerSketch;
  expectedCount: number;
  storedCount: number | null;
  storedVersion: number;
}
export interface CustomerStatsDrift {
  kind: "customer_stats";
  key: TableKey;
  customerId: number;
  expected: CustomerStats;
  stored: Partial<CustomerStats>;
  storedVersion: number;
}
export type Drift = CounterDrift | SketchDrift | CustomerStatsDrift;

const SCAN_SEGMENTS = 4;

async function scanTable(): Promise<Item[]> {
  const segments = await Promise.all(
    Array.from({ length: SCAN_SEGMENTS }, async (_, segment) => {
      const items: Item[] = [];
      let startKey: Item | undefined;
      do {
        const page = await documentClient.send(new ScanCommand({ TableName: tableName(), Segment: segment, TotalSegments: SCAN_SEGMENTS, ExclusiveStartKey: startKey, ConsistentRead: true }));
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    }),
  );
  return segments.flat();
}

/** Which stored items are counter aggregates: the ones the processors ADD to. */
function isCounterItem(item: Item): boolean {
  const pk = String(item.pk);
  const sk = String(item.sk);
  if (/^STOREFRONT#\d+#DAILY$/.test(pk)) return sk.startsWith("DAY#") || sk.startsWith("PRODUCTS#");
  if (/^STOREFRONT#\d+$/.test(pk)) return sk === "STATS#ORDERS" || sk === "STATS#CATALOG" || sk === "STATS#CUSTOMERS" || sk.startsWith("STATS#CARTS#");
  return (/^PRODUCT#\d+$/.test(pk) || /^CATEGORY#\d+$/.test(pk)) && sk === "STATS";
}

const NOT_COUNTERS = new Set(["version", "expires_at"]);

function flatten(item: Item): Flat {
  const flat: Flat = {};
  for (const [name, value] of Object.entries(item)) {
    if (NOT_COUNTERS.has(name)) continue;
    if (typeof value === "number") flat[name] = value;
    else if (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array)) {
      for (const [entry, amount] of Object.entries(value)) if (typeof amount === "number") flat[`${name}.${entry}`] = amount;
    }
  }
  return flat;
}

class Expected {
  readonly counters = new Map<string, { key: TableKey; flat: Flat }>();
  add(key: TableKey, flat: Flat): void {
    const entry = this.counters.get(keyString(key)) ?? { key, flat: {} };
    for (const [name, amount] of Object.entries(flat)) entry.flat[name] = (entry.flat[name] ?? 0) + amount;
    this.counters.set(keyString(key), entry);
  }
  addDaily(daily: DailyCounters): void {
    for (const [bucket, counters] of daily) {
      const { storefrontId, date } = parseDayBucket(bucket);
      for (const { key, add } of dailyCounterUpdates(storefrontId, date, counters)) this.add(key, add);
    }
  }
}

function expectedCounters(orders: Item[], carts: Item[], products: Item[], customers: Item[]): Expected {
  const expected = new Expected();
  for (const order of orders) {
    expected.addDaily(orderDailyContribution(dailyOrderOf(order)));
    const deltas = orderDeltas(undefined, countedOrder(order));
    for (const [storefrontId, change] of deltas.storefronts) {
      const flat: Flat = { ...change.add };
      for (const [map, entries] of Object.entries(change.addInMap)) for (const [entry, amount] of Object.entries(entries)) flat[`${map}.${entry}`] = amount;
      expected.add(STATS_KEYS.orders(storefrontId), flat);
    }
    for (const [productId, add] of deltas.products) expected.add(productStatsKey(productId), add);
  }
  for (const cart of carts) {
    expected.addDaily(cartDailyContribution(dailyCartOf(cart)));
    for (const [bucket, add] of cartDeltas(undefined, countedCart(cart))) {
      const [storefrontId, currency] = bucket.split("#");
      expected.add(cartStatsKey(Number(storefrontId), currency!), add);
    }
  }
  for (const product of products) {
    const deltas = catalogDeltas(undefined, countedProduct(product));
    for (const [storefrontId, add] of deltas.storefronts) expected.add(STATS_KEYS.catalog(storefrontId), add as Flat);
    for (const [categoryId, count] of deltas.categories) expected.add(categoryStatsKey(categoryId), { product_count: count });
  }
  for (const customer of customers) {
    const { storefrontId, counters } = customerContribution(customer);
    expected.add(STATS_KEYS.customers(storefrontId), counters);
  }
  return expected;
}

function counterDrifts(expected: Expected, stored: Item[]): CounterDrift[] {
  const drifts: CounterDrift[] = [];
  const storedByKey = new Map(stored.filter(isCounterItem).map((item) => [keyString({ pk: String(item.pk), sk: String(item.sk) }), item]));
  const keys = new Set([...expected.counters.keys(), ...storedByKey.keys()]);
  for (const id of keys) {
    const item = storedByKey.get(id);
    const key = expected.counters.get(id)?.key ?? { pk: String(item!.pk), sk: String(item!.sk) };
    const want = expected.counters.get(id)?.flat ?? {};
    const have = item ? flatten(item) : {};
    for (const counter of new Set([...Object.keys(want), ...Object.keys(have)])) {
      const expectedValue = want[counter] ?? 0;
      const storedValue = have[counter] ?? 0;
      if (expectedValue !== storedValue) drifts.push({ kind: "counters", key, counter, expected: expectedValue, stored: storedValue });
    }
  }
  return drifts;
}

function sketchDrifts(orders: Item[], stored: Item[]): SketchDrift[] {
  const customersByBucket = new Map<string, number[]>();
  for (const order of orders) {
    const counted = orderCustomerDay(dailyOrderOf(order));
    if (counted) customersByBucket.set(counted.bucket, [...(customersByBucket.get(counted.bucket) ?? []), counted.customerId]);
  }
  const storedByKey = new Map(
    stored.filter((item) => String(item.sk).startsWith("CUSTOMERS#") && /#DAILY$/.test(String(item.pk))).map((item) => [keyString({ pk: String(item.pk), sk: String(item.sk) }), item]),
  );
  const drifts: SketchDrift[] = [];
  const seen = new Set<string>();
  const compare = (key: TableKey, expectedSketch: CustomerSketch, expectedCount: number) => {
    const item = storedByKey.get(keyString(key));
    seen.add(keyString(key));
    const storedSketch: CustomerSketch | undefined = item && { ids: Array.isArray(item.ids) ? (item.ids as number[]) : null, registers: new Uint8Array(item.registers as Uint8Array) };
    if (storedSketch ? sameSketch(storedSketch, expectedSketch) : expectedCount === 0) return;
    drifts.push({ kind: "customer_sketch", key, expected: expectedSketch, expectedCount, storedCount: storedSketch?.ids?.length ?? null, storedVersion: Number(item?.version ?? 0) });
  };
  for (const [bucket, customers] of customersByBucket) {
    const { storefrontId, date } = parseDayBucket(bucket);
    compare(customerSketchKey(storefrontId, date), sketchOf(customers), new Set(customers).size);
  }
  // Stored sketches of days that have no customer any more must be empty.
  for (const [id, item] of storedByKey) if (!seen.has(id)) compare({ pk: String(item.pk), sk: String(item.sk) }, sketchOf([]), 0);
  return drifts;
}

function customerStatsDrifts(orders: Item[], customers: Item[]): CustomerStatsDrift[] {
  const ordersByCustomer = new Map<number, Item[]>();
  for (const order of orders) {
    const id = Number(order.ecommerce_customer_id);
    ordersByCustomer.set(id, [...(ordersByCustomer.get(id) ?? []), order]);
  }
  return customers.flatMap((customer) => {
    const customerId = Number(customer.ecommerce_customer_id);
    const expected = customerStats((ordersByCustomer.get(customerId) ?? []) as never, String(customer.currency));
    const stored = Object.fromEntries(Object.keys(expected).map((field) => [field, customer[field] ?? null])) as Partial<CustomerStats>;
    const same = (Object.keys(expected) as (keyof CustomerStats)[]).every((field) => expected[field] === (stored[field] ?? null));
    return same ? [] : [{ kind: "customer_stats" as const, key: customerKey(customerId), customerId, expected, stored, storedVersion: Number(customer.version) }];
  });
}

export interface ReconcileReport {
  scannedItems: number;
  sources: { orders: number; carts: number; products: number; customers: number };
  drifts: Drift[];
}

export async function reconcileAggregates(): Promise<ReconcileReport> {
  const items = await scanTable();
  const bySortKey = (sk: string) => items.filter((item) => item.sk === sk && item.entity !== undefined);
  const orders = bySortKey("ORDER");
  const carts = bySortKey("CART");
  const products = bySortKey("PRODUCT");
  const customers = bySortKey("CUSTOMER");
  const drifts: Drift[] = [
    ...counterDrifts(expectedCounters(orders, carts, products, customers), items),
    ...sketchDrifts(orders, items),
    ...customerStatsDrifts(orders, customers),
  ];
  return { scannedItems: items.length, sources: { orders: orders.length, carts: carts.length, products: products.length, customers: customers.length }, drifts };
}

async function repairCounters(key: TableKey, drifts: CounterDrift[]): Promise<void> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds: string[] = [];
  const sets: string[] = [];
  const maps = new Set<string>();
  drifts.forEach((drift, index) => {
    values[`:d${index}`] = drift.expected - drift.stored;
    const [map, entry] = drift.counter.split(".");
    if (entry === undefined) {
      names[`#a${index}`] = drift.counter;
      adds.push(`#a${index} :d${index}`);
    } else {
      maps.add(map!);
      names[`#m${index}`] = map!;
      names[`#e${index}`] = entry;
      sets.push(`#m${index}.#e${index} = if_not_exists(#m${index}.#e${index}, :zero) + :d${index}`);
    }
  });
  for (const map of maps) {
    await documentClient.send(
      new UpdateCommand({ TableName: tableName(), Key: key, UpdateExpression: "SET #m = if_not_exists(#m, :empty)", ExpressionAttributeNames: { "#m": map }, ExpressionAttributeValues: { ":empty": {} } }),
    );
  }
  if (sets.length > 0) values[":zero"] = 0;
  const expression = [sets.length > 0 ? `SET ${sets.join(", ")}` : "", adds.length > 0 ? `ADD ${adds.join(", ")}` : ""].filter(Boolean).join(" ");
  await documentClient.send(new UpdateCommand({ TableName: tableName(), Key: key, UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
}

/** Writes what reconcileAggregates found; returns how many items were written. */
export async function repairDrifts(drifts: Drift[]): Promise<number> {
  const counters = new Map<string, CounterDrift[]>();
  let written = 0;
  for (const drift of drifts) {
    if (drift.kind === "counters") counters.set(keyString(drift.key), [...(counters.get(keyString(drift.key)) ?? []), drift]);
    else if (drift.kind === "customer_sketch") {
      await documentClient.send(
        new PutCommand({ TableName: tableName(), Item: { ...drift.key, entity: "customer_sketch", ids: drift.expected.ids, registers: drift.expected.registers, version: drift.storedVersion + 1 } }),
      );
      written += 1;
    } else if (await setCustomerStats(drift.customerId, { ...drift.expected }, drift.storedVersion)) written += 1;
  }
  for (const group of counters.values()) {
    await repairCounters(group[0]!.key, group);
    written += 1;
  }
  return written;
}

/** One line for a person reading the report. */
export function describeDrift(drift: Drift): string {
  const where = `${drift.key.pk} / ${drift.key.sk}`;
  if (drift.kind === "counters") return `${where}: ${drift.counter} is ${drift.stored}, recomputed ${drift.expected}`;
  if (drift.kind === "customer_sketch") return `${where}: customer sketch differs (${drift.storedCount ?? "many"} customers stored, ${drift.expectedCount} recomputed)`;
  return `${where}: statistics ${JSON.stringify(drift.stored)}, recomputed ${JSON.stringify(drift.expected)}`;
}
