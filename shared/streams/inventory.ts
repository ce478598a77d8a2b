/**
 * The inventory processor: when an order item's fulfilled quantity grows,
 * its product (and variant) lose that many units; when a cancel or refund
 * restocks it, they get them back. Each item record's change is applied
 * exactly once: the stock updates are written in one transaction with a
 * marker named after the record's eventID, put only if absent.
 *
 * Tracked stock never goes below zero unless the product allows backorders
 * (a variant follows its product's setting): such a decrement is not applied,
 * and the order is flagged `oversold` instead, which the order counters count.
 * A line on a product with variants that names none of them (or a variant
 * deleted since) takes nothing either: nobody can tell which variant's stock
 * it was. Units not taken are remembered per item (a STOCK_SHORTFALL item in
 * the order's partition), so that restocking the item later does not give
 * back units that never left.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { documentClient, tableName } from "../data/client";
import { productKey } from "../data/products";
import { variantKey } from "../data/variants";
import { orderKey } from "../data/orders";
import { cancellationCodes } from "../data/transactions";
import { streamMarkerPut } from "../data/stream-markers";
import { batchGetItems, keyString, type TableKey } from "../data/batch";
import { logger } from "../logger";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

export const INVENTORY_CONSUMER = "inventory";

type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

export interface StockChange {
  orderId: number;
  itemId: number;
  productId: number;
  variantId: number | null;
  /** Units to add to stock: negative when fulfilled, positive when restocked. */
  delta: number;
}

/** What one order item record changes in stock; undefined when nothing. */
export function stockChangeOf(record: DynamoDBRecord): StockChange | undefined {
  const { before, after } = imagesOf(record);
  if (!after || typeof after.ecommerce_product_id !== "number") return undefined;
  const moved = (field: "fulfilled_quantity" | "restocked_quantity") => Number(after[field] ?? 0) - Number(before?.[field] ?? 0);
  const delta = moved("restocked_quantity") - moved("fulfilled_quantity");
  if (delta === 0) return undefined;
  return { orderId: Number(after.ecommerce_order_id), itemId: Number(after.order_item_id), productId: after.ecommerce_product_id, variantId: typeof after.variant_id === "number" ? after.variant_id : null, delta };
}

const marker = (eventId: string): Actions[number] => streamMarkerPut(INVENTORY_CONSUMER, eventId);

/** Moves the stock of a product or variant; a decrement is conditioned on stock that is untracked, backordered or sufficient. */
function stockUpdate(key: TableKey, delta: number, options: { backorderAttribute: boolean; unconditional?: boolean; noVariants?: boolean }, now: string): Actions[number] {
  const values: Record<string, unknown> = { ":delta": delta, ":one": 1, ":now": now };
  let condition = "attribute_exists(pk)";
  if (delta < 0 && !options.unconditional) {
    values[":untracked"] = false;
    values[":need"] = -delta;
    const backorder = options.backorderAttribute ? " OR allow_backorder = :backorder" : "";
    if (options.backorderAttribute) values[":backorder"] = true;
    condition += ` AND (inventory_tracked = :untracked${backorder} OR inventory_quantity >= :need)`;
  }
  if (delta < 0 && options.noVariants) {
    values[":zero"] = 0;
    condition += " AND (attribute_not_exists(variant_count) OR variant_count = :zero)";
  }
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      // The version moves so that a catalog write based on an older read retries instead of writing old stock back.
      // No stock_origin: a fulfilment or restock is the hub's own change of stock (shared/stock/listing.ts).
      UpdateExpression: "SET updated_at = :now REMOVE stock_origin ADD inventory_quantity :delta, #version :one, stock_seq :one",
      ConditionExpression: condition,
      ExpressionAttributeNames: { "#version": "version" },
      ExpressionAttributeValues: values,
    },
  };
}

/** The product's and variant's updates for `delta` units. A line without variant moves a product only while it has none. */
function stockUpdates(change: StockChange, delta: number, variantMayGoNegative: boolean, now: string): Actions {
  if (change.variantId === null) return [stockUpdate(productKey(change.productId), delta, { backorderAttribute: true, noVariants: true }, now)];
  return [
    stockUpdate(productKey(change.productId), delta, { backorderAttribute: true }, now),
    stockUpdate(variantKey(change.productId, change.variantId), delta, { backorderAttribute: false, unconditional: variantMayGoNegative }, now),
  ];
}

const shortfallKey = (change: StockChange): TableKey => ({ pk: orderKey(change.orderId).pk, sk: `STOCK_SHORTFALL#${change.itemId}` });

/** Adds units to (positive) or takes them from (negative) the item's units not taken, if it still holds `expected`. */
function shortfallUpdate(change: StockChange, units: number, expected: number): Actions[number] {
  return {
    Update: {
      TableName: tableName(),
      Key: shortfallKey(change),
      UpdateExpression: "SET entity = :entity ADD units :units",
      ConditionExpression: expected === 0 ? "attribute_not_exists(units) OR units = :expected" : "units = :expected",
      ExpressionAttributeValues: { ":entity": "stock_shortfall", ":units": units, ":expected": expected },
    },
  };
}

const oversoldFlag = (orderId: number, now: string): Actions[number] => ({
  Update: {
    TableName: tableName(),
    Key: orderKey(orderId),
    UpdateExpression: "SET oversold = :true, updated_at = :now ADD #version :one",
    ConditionExpression: "attribute_exists(pk)",
    ExpressionAttributeNames: { "#version": "version" },
    ExpressionAttributeValues: { ":true": true, ":now": now, ":one": 1 },
  },
});

async function send(actions: Actions): Promise<"applied" | "already" | "refused"> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: actions }));
    return "applied";
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[0] === "ConditionalCheckFailed") return "already";
    if (codes.includes("ConditionalCheckFailed")) return "refused";
    throw error;
  }
}

/** What the catalog and the item's shortfall hold now (strongly consistent). */
async function currentState(change: StockChange) {
  const keys = [productKey(change.productId), shortfallKey(change), ...(change.variantId === null ? [] : [variantKey(change.productId, change.variantId)])];
  const found = await batchGetItems(keys, { consistentRead: true });
  const product = found.get(keyString(keys[0]!));
  const variant = change.variantId === null ? undefined : found.get(keyString(keys[2]!));
  return { product, variant, shortfall: Number(found.get(keyString(keys[1]!))?.units ?? 0) };
}

const MAX_ATTEMPTS = 5;

/** Fulfilled units leave stock, unless that would oversell or no single stock can be named. */
async function take(eventId: string, change: StockChange, now: string): Promise<void> {
  // The common case first: enough stock (or backorders on the product), no read needed.
  if ((await send([marker(eventId), ...stockUpdates(change, change.delta, false, now)])) !== "refused") return;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { product, variant, shortfall } = await currentState(change);
    // A product deleted since the order was imported has no stock to keep: the change is recorded as applied.
    if (!product) return void (await send([marker(eventId)]));
    const unassigned = change.variantId === null ? Number(product.variant_count ?? 0) > 0 : !variant;
    const mayGoNegative = product.inventory_tracked === false || product.allow_backorder === true;
    const need = -change.delta;
    const enough = Number(product.inventory_quantity ?? 0) >= need && (!variant || variant.inventory_tracked === false || Number(variant.inventory_quantity ?? 0) >= need);
    let actions: Actions;
    if (unassigned) actions = [marker(eventId), shortfallUpdate(change, -change.delta, shortfall)];
    else if (mayGoNegative || enough) actions = [marker(eventId), ...stockUpdates(change, change.delta, mayGoNegative, now)];
    else actions = [marker(eventId), shortfallUpdate(change, -change.delta, shortfall), oversoldFlag(change.orderId, now)];
    if ((await send(actions)) !== "refused") {
      if (unassigned) logger.warn("a fulfilled line names no single stock (a product with variants, no variant): its stock is left as it was", { orderId: change.orderId, productId: change.productId });
      return;
    }
  }
  throw new Error(`order ${change.orderId} item ${change.itemId}: the catalog kept changing while its stock was taken`);
}

/** Restocked units go back, except those the item never took. */
async function giveBack(eventId: string, change: StockChange, now: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { product, variant, shortfall } = await currentState(change);
    const absorbed = Math.min(shortfall, change.delta);
    const returned = change.delta - absorbed;
    const actions: Actions = [marker(eventId)];
    if (absorbed > 0) actions.push(shortfallUpdate(change, -absorbed, shortfall));
    if (returned > 0 && product) {
      actions.push(stockUpdate(productKey(change.productId), returned, { backorderAttribute: true }, now));
      if (change.variantId !== null && variant) actions.push(stockUpdate(variantKey(change.productId, change.variantId), returned, { backorderAttribute: false }, now));
    }
    if ((await send(actions)) !== "refused") return;
  }
  throw new Error(`order ${change.orderId} item ${change.itemId}: the catalog kept changing while its stock was given back`);
}

async function applyStockChange(eventId: string, change: StockChange): Promise<void> {
  const now = new Date().toISOString();
  await (change.delta < 0 ? take(eventId, change, now) : giveBack(eventId, change, now));
}

export async function updateInventory(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  for (const [index, record] of records.entries()) {
    try {
      const change = stockChangeOf(record);
      if (change) await applyStockChange(record.eventID!, change);
    } catch (error) {
      logger.error("cannot apply an order item's stock change; this record and the ones after it will be retried", { eventId: record.eventID, error: error as Error });
      return failuresFrom(records, index);
    }
  }
  return failuresFrom(records, undefined);
}
