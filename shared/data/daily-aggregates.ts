import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { documentClient, tableName } from "./client";
import { INDEXES } from "./table-definition";
import { ordersCollection } from "./orders";
import { queryAll } from "./collections";
import type { TableKey } from "./batch";
import { isProductCounter, type Counters } from "../analytics/daily-counters";
import type { CustomerSketch } from "../analytics/customer-sketch";

/**
 * Analytics aggregates: one partition per storefront, one item per day and
 * kind, so that a period is one key-range Query whatever the number of orders.
 * Access patterns:
 * - a storefront's daily counters over a period ....... Query pk = STOREFRONT#<sid>#DAILY, sk BETWEEN DAY#<from> AND DAY#<to>
 * - its daily product counters over a period .......... Query pk = STOREFRONT#<sid>#DAILY, sk BETWEEN PRODUCTS#<from> AND PRODUCTS#<to>
 * - a storefront's customer sketches over a period .... Query pk = STOREFRONT#<sid>#DAILY, sk BETWEEN CUSTOMERS#<from> AND CUSTOMERS#<to>
 * - the orders of a day, to rebuild its sketch ........ byCollection: gsi1pk = STOREFRONT#<sid>#ORDERS, gsi1sk in the day's instants
 */
const dailyPartition = (storefrontId: number) => `STOREFRONT#${storefrontId}#DAILY`;
export const dailyCountersKey = (storefrontId: number, date: string): TableKey => ({ pk: dailyPartition(storefrontId), sk: `DAY#${date}` });
export const dailyProductsKey = (storefrontId: number, date: string): TableKey => ({ pk: dailyPartition(storefrontId), sk: `PRODUCTS#${date}` });
export const customerSketchKey = (storefrontId: number, date: string): TableKey => ({ pk: dailyPartition(storefrontId), sk: `CUSTOMERS#${date}` });

type Item = Record<string, unknown>;
const KEY_ATTRIBUTES = new Set(["pk", "sk", "entity", "version"]);

const queryRange = (storefrontId: number, prefix: string, from: string, to: string): Promise<Item[]> =>
  queryAll({
    TableName: tableName(),
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: { ":pk": dailyPartition(storefrontId), ":from": `${prefix}${from}`, ":to": `${prefix}${to}` },
  });

/** The counter items of one change: product counters to the day's PRODUCTS item, the others to its DAY item. */
export function dailyCounterUpdates(storefrontId: number, date: string, counters: Counters): { key: TableKey; add: Counters }[] {
  const products = Object.fromEntries(Object.entries(counters).filter(([name]) => isProductCounter(name)));
  const others = Object.fromEntries(Object.entries(counters).filter(([name]) => !isProductCounter(name)));
  return [
    ...(Object.keys(others).length > 0 ? [{ key: dailyCountersKey(storefrontId, date), add: others }] : []),
    ...(Object.keys(products).length > 0 ? [{ key: dailyProductsKey(storefrontId, date), add: products }] : []),
  ];
}

async function queryCounters(storefrontId: number, prefix: string, from: string, to: string): Promise<Map<string, Counters>> {
  const items = await queryRange(storefrontId, prefix, from, to);
  return new Map(items.map((item) => [String(item.sk).slice(prefix.length), Object.fromEntries(Object.entries(item).filter(([name]) => !KEY_ATTRIBUTES.has(name))) as Counters]));
}

/** Date -> counters (all but the products') of the days from `from` to `to` that have any. */
export const queryDailyCounters = (storefrontId: number, from: string, to: string) => queryCounters(storefrontId, "DAY#", from, to);
/** Date -> product counters of the days from `from` to `to` that have any. */
export const queryDailyProducts = (storefrontId: number, from: string, to: string) => queryCounters(storefrontId, "PRODUCTS#", from, to);

export interface StoredSketch {
  sketch: CustomerSketch;
  version: number;
}

const sketchFromItem = (item: Item): StoredSketch => ({
  sketch: { ids: Array.isArray(item.ids) ? (item.ids as number[]) : null, registers: new Uint8Array(item.registers as Uint8Array) },
  version: Number(item.version ?? 0),
});

/** Date -> customer sketch of the days from `from` to `to` that have one. */
export async function queryCustomerSketches(storefrontId: number, from: string, to: string): Promise<Map<string, CustomerSketch>> {
  const items = await queryRange(storefrontId, "CUSTOMERS#", from, to);
  return new Map(items.map((item) => [String(item.sk).slice("CUSTOMERS#".length), sketchFromItem(item).sketch]));
}

export async function getCustomerSketch(storefrontId: number, date: string): Promise<StoredSketch | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: customerSketchKey(storefrontId, date), ConsistentRead: true }));
  return Item ? sketchFromItem(Item) : undefined;
}

/** Writes a day's sketch if it is still at `expectedVersion` (0 = absent); false when another write came first. */
export async function putCustomerSketch(storefrontId: number, date: string, sketch: CustomerSketch, expectedVersion: number): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...customerSketchKey(storefrontId, date), entity: "customer_sketch", ids: sketch.ids, registers: sketch.registers, version: expectedVersion + 1 },
        ConditionExpression: expectedVersion === 0 ? "attribute_not_exists(pk)" : "version = :version",
        ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ":version": expectedVersion },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Every order of a storefront whose order_date lies in [fromIso, toIso) (strongly consistent reads are not offered by the index). */
export const ordersBetween = (storefrontId: number, fromIso: string, toIso: string): Promise<Item[]> =>
  queryAll({
    TableName: tableName(),
    IndexName: INDEXES.byCollection.name,
    KeyConditionExpression: "gsi1pk = :collection AND gsi1sk BETWEEN :from AND :to",
    ExpressionAttributeValues: { ":collection": ordersCollection(storefrontId), ":from": fromIso, ":to": toIso },
  });
