/**
 * The order counters' stream processor: every order change moves its
 * storefront's STATS#ORDERS counters (by status, revenue per currency) and its
 * products' STATS (order_count, total_quantity_sold) by the difference between
 * the order's old and new contribution.
 *
 * Each record's changes are written in one transaction with a marker named
 * after the record's eventID, put only if absent (as the catalog's
 * apply-once does), so a redelivered record changes nothing. The catalog's
 * helper only ADDs top-level numbers; revenue is a map per currency, which
 * needs SET on a nested path, hence this variant.
 */
import { TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { documentClient, tableName } from "../data/client";
import { productStatsKey } from "../data/products";
import { STATS_KEYS } from "../data/storefronts";
import { cancellationCodes } from "../data/transactions";
import { streamMarkerPut } from "../data/stream-markers";
import type { TableKey } from "../data/batch";
import { emptyChange, orderDeltas, type CountedOrder, type CounterChange } from "../domain/order-counters";
import { logger } from "../logger";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

export const ORDER_COUNTERS_CONSUMER = "order-counters";

type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

export function countedOrder(image: Record<string, unknown> | undefined): CountedOrder | undefined {
  if (!image) return undefined;
  return {
    storefront_id: Number(image.storefront_id),
    currency: String(image.currency),
    total_minor: Number(image.total_minor ?? 0),
    order_status: image.order_status as CountedOrder["order_status"],
    payment_status: image.payment_status as CountedOrder["payment_status"],
    fulfillment_status: image.fulfillment_status as CountedOrder["fulfillment_status"],
    import_status: image.import_status as CountedOrder["import_status"],
    is_test_order: image.is_test_order === true,
    product_quantities: (image.product_quantities as Record<string, number> | undefined) ?? {},
    oversold: image.oversold === true,
  };
}

/** One counter item's update: ADD for top-level numbers, SET map.key = if_not_exists(map.key, 0) + amount inside maps. */
function counterUpdate(key: TableKey, change: CounterChange): Actions[number] {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = Object.entries(change.add).map(([attribute, amount], index) => {
    names[`#a${index}`] = attribute;
    values[`:a${index}`] = amount;
    return `#a${index} :a${index}`;
  });
  const sets: string[] = [];
  Object.entries(change.addInMap).forEach(([map, entries], mapIndex) => {
    names[`#m${mapIndex}`] = map;
    Object.entries(entries).forEach(([entry, amount], entryIndex) => {
      const path = `#m${mapIndex}.#k${mapIndex}_${entryIndex}`;
      names[`#k${mapIndex}_${entryIndex}`] = entry;
      values[`:k${mapIndex}_${entryIndex}`] = amount;
      sets.push(`${path} = if_not_exists(${path}, :zero) + :k${mapIndex}_${entryIndex}`);
    });
  });
  if (sets.length > 0) values[":zero"] = 0;
  const expression = [sets.length > 0 ? `SET ${sets.join(", ")}` : "", adds.length > 0 ? `ADD ${adds.join(", ")}` : ""].filter(Boolean).join(" ");
  return { Update: { TableName: tableName(), Key: key, UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values } };
}

/** What one order record changes, as counter updates. */
export function orderCounterUpdates(record: DynamoDBRecord): { key: TableKey; change: CounterChange }[] {
  const { before, after } = imagesOf(record);
  const deltas = orderDeltas(countedOrder(before), countedOrder(after));
  return [
    ...[...deltas.storefronts].map(([storefrontId, change]) => ({ key: STATS_KEYS.orders(storefrontId), change })),
    ...[...deltas.products].map(([productId, add]) => ({ key: productStatsKey(productId), change: { ...emptyChange(), add } })),
  ];
}

/** Creates the maps a counter item's nested updates need; harmless when they exist. */
async function ensureMaps(updates: { key: TableKey; change: CounterChange }[]): Promise<void> {
  for (const { key, change } of updates) {
    const maps = Object.keys(change.addInMap);
    if (maps.length === 0) continue;
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${maps.map((_, index) => `#m${index} = if_not_exists(#m${index}, :empty)`).join(", ")}`,
        ExpressionAttributeNames: Object.fromEntries(maps.map((map, index) => [`#m${index}`, map])),
        ExpressionAttributeValues: { ":empty": {} },
      }),
    );
  }
}

const isMissingMap = (error: unknown) => error instanceof Error && error.name === "ValidationException" && /document path/i.test(error.message);

async function applyRecord(record: DynamoDBRecord): Promise<void> {
  const updates = orderCounterUpdates(record);
  if (updates.length === 0) return;
  const actions: Actions = [
    streamMarkerPut(ORDER_COUNTERS_CONSUMER, record.eventID!),
    ...updates.map(({ key, change }) => counterUpdate(key, change)),
  ];
  const send = () => documentClient.send(new TransactWriteCommand({ TransactItems: actions }));
  try {
    await send();
  } catch (error) {
    if (cancellationCodes(error)?.[0] === "ConditionalCheckFailed") return;
    // The first order of a storefront meets a counter item without its revenue map: create it, then apply.
    if (!isMissingMap(error)) throw error;
    await ensureMaps(updates);
    try {
      await send();
    } catch (retryError) {
      if (cancellationCodes(retryError)?.[0] !== "ConditionalCheckFailed") throw retryError;
    }
  }
}

export async function updateOrderCounters(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  for (const [index, record] of records.entries()) {
    try {
      await applyRecord(record);
    } catch (error) {
      logger.error("cannot apply an order's counter changes; it and the records after it will be retried", { eventId: record.eventID, error: error as Error });
      return failuresFrom(records, index);
    }
  }
  return failuresFrom(records, undefined);
}
