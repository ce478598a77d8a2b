/**
 * The inventory processor: when an order item's fulfilled quantity grows,
 * its product (and variant) lose that many units; when a cancel or refund
 * restocks it, they get them back. Each item record's change is applied
 * exactly once: the stock updates are written in one transaction with a
 * marker named after the record's eventID, put only if absent.
 *
 * Tracked stock never goes below zero unless the product allows backorders:
 * such a decrement is not applied, and the order is flagged `oversold`
 * instead (in the same transaction as the marker), which the order counters count.
 */
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { documentClient, tableName } from "../data/client";
import { productKey } from "../data/products";
import { variantKey } from "../data/variants";
import { orderKey } from "../data/orders";
import { cancellationCodes } from "../data/transactions";
import { TTL_ATTRIBUTE } from "../data/table-definition";
import type { TableKey } from "../data/batch";
import { logger } from "../logger";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

export const INVENTORY_CONSUMER = "inventory";
const MARKER_LIFETIME_SECONDS = 3 * 24 * 3600;

type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

export interface StockChange {
  orderId: number;
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
  return { orderId: Number(after.ecommerce_order_id), productId: after.ecommerce_product_id, variantId: typeof after.variant_id === "number" ? after.variant_id : null, delta };
}

const marker = (eventId: string): Actions[number] => ({
  Put: {
    TableName: tableName(),
    Item: { pk: `APPLIED#${INVENTORY_CONSUMER}#${eventId}`, sk: "APPLIED", entity: "stream_marker", [TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + MARKER_LIFETIME_SECONDS },
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

/** Moves the stock of a product or variant; a decrement is conditioned on stock that is untracked, backordered or sufficient. */
function stockUpdate(key: TableKey, delta: number, canBackorder: boolean, now: string): Actions[number] {
  const values: Record<string, unknown> = { ":delta": delta, ":one": 1, ":now": now };
  let condition = "attribute_exists(pk)";
  if (delta < 0) {
    values[":untracked"] = false;
    values[":need"] = -delta;
    const backorder = canBackorder ? " OR allow_backorder = :backorder" : "";
    if (canBackorder) values[":backorder"] = true;
    condition += ` AND (inventory_tracked = :untracked${backorder} OR inventory_quantity >= :need)`;
  }
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      // The version moves so that a catalog write based on an older read retries instead of writing old stock back.
      UpdateExpression: "SET updated_at = :now ADD inventory_quantity :delta, #version :one",
      ConditionExpression: condition,
      ExpressionAttributeNames: { "#version": "version" },
      ExpressionAttributeValues: values,
    },
  };
}

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

async function applyStockChange(eventId: string, change: StockChange): Promise<void> {
  const now = new Date().toISOString();
  const stock = [stockUpdate(productKey(change.productId), change.delta, true, now)];
  if (change.variantId !== null) stock.push(stockUpdate(variantKey(change.productId, change.variantId), change.delta, false, now));
  if ((await send([marker(eventId), ...stock])) !== "refused") return;

  const { Item: product } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: productKey(change.productId), ConsistentRead: true }));
  // A product deleted since the order was imported has no stock to keep: the change is recorded as applied.
  const flag: Actions = product
    ? [
        {
          Update: {
            TableName: tableName(),
            Key: orderKey(change.orderId),
            UpdateExpression: "SET oversold = :true, updated_at = :now ADD #version :one",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":true": true, ":now": now, ":one": 1 },
          },
        },
      ]
    : [];
  await send([marker(eventId), ...flag]);
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
