/**
 * Webhook deliveries: each valid delivery is kept with its raw body until it
 * has been processed (and a while after, for replays and audits).
 * Access patterns:
 * - a delivery by id (the worker, replay) .......... pk = DELIVERY#<delivery id>, sk = DELIVERY
 * - a storefront's deliveries, newest first ........ byCollection: gsi1pk = STOREFRONT#<sid>#DELIVERIES,
 *     gsi1sk = <received_at ISO>#<delivery id> (date range as key range; topic and status are filters)
 * - rejection and duplicate counters ............... pk = STOREFRONT#<sid>, sk = STATS#WEBHOOKS
 *     (deliveries for no known storefront: pk = WEBHOOKS, sk = STATS#UNKNOWN_STOREFRONT)
 * The delivery id is derived from (storefront, source, the platform's delivery
 * id), so the conditional put that stores a delivery is also its de-duplication.
 * The raw body is stored gzip-compressed (raw_body_gzip): platform JSON shrinks
 * four to five times, and write capacity is billed per KB.
 */
import { promisify } from "node:util";
import { gunzipSync, gzip } from "node:zlib";

/** Compressing on libuv's thread pool keeps the event loop free for the other requests in flight. */
const gzipAsync = promisify(gzip);
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import { INDEXES, TTL_ATTRIBUTE } from "./table-definition";
import { dateRangeKeyCondition, type DateRange } from "./collections";
import type { TableKey } from "./batch";

export const DELIVERY_STATUSES = ["received", "processed", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type DeliverySource = "shopify" | "woocommerce" | "generic";

/** Deliveries are kept this long after they arrive. */
export const DELIVERY_RETENTION_DAYS = 30;

export interface DeliveryRecord {
  delivery_id: string;
  storefront_id: number;
  source: DeliverySource;
  topic: string;
  /** The platform's own delivery id (the de-duplication key), when it sent one. */
  platform_delivery_id: string | null;
  /** Other identifying headers the platform sent (event id, trigger time, shop domain, webhook id). */
  platform_headers: Record<string, string>;
  raw_body: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  /** What processing did, e.g. "order 12 created" or why it did nothing. */
  outcome: string | null;
  duplicate_count: number;
  received_at: string;
  processed_at: string | null;
}

type Item = Record<string, unknown>;

export const deliveryKey = (id: string): TableKey => ({ pk: `DELIVERY#${id}`, sk: "DELIVERY" });
const collectionOf = (storefrontId: number) => `STOREFRONT#${storefrontId}#DELIVERIES`;
const statsKey = (storefrontId: number | null): TableKey =>
  storefrontId === null ? { pk: "WEBHOOKS", sk: "STATS#UNKNOWN_STOREFRONT" } : { pk: `STOREFRONT#${storefrontId}`, sk: "STATS#WEBHOOKS" };

const INTERNAL = ["pk", "sk", "gsi1pk", "gsi1sk", "entity", TTL_ATTRIBUTE, "raw_body_gzip"];
function toRecord(item: Item): DeliveryRecord {
  const copy = { ...item };
  for (const name of INTERNAL) delete copy[name];
  copy.raw_body = gunzipSync(item.raw_body_gzip as Uint8Array).toString("utf8");
  return copy as unknown as DeliveryRecord;
}

/** Stores a new delivery; false when one with the same id is already stored (a duplicate). */
export async function insertDelivery(delivery: DeliveryRecord): Promise<boolean> {
  const { raw_body: rawBody, ...fields } = delivery;
  const compressed = await gzipAsync(rawBody);
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...deliveryKey(delivery.delivery_id),
          gsi1pk: collectionOf(delivery.storefront_id),
          gsi1sk: `${delivery.received_at}#${delivery.delivery_id}`,
          entity: "webhook_delivery",
          [TTL_ATTRIBUTE]: Math.floor(Date.parse(delivery.received_at) / 1000) + DELIVERY_RETENTION_DAYS * 24 * 3600,
          ...fields,
          raw_body_gzip: compressed,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function deleteDelivery(id: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: deliveryKey(id) }));
}

/** Counts another arrival of a stored delivery on it. */
export async function countDuplicate(deliveryId: string, now: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: deliveryKey(deliveryId),
      UpdateExpression: "SET last_duplicate_at = :now ADD duplicate_count :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":now": now, ":one": 1 },
    }),
  ).catch((error) => {
    // Gone since (expired): nothing to count on.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  });
}

/** Counts a refused delivery by reason, on its storefront (or on the unknown-storefront counters). */
export async function countRejection(storefrontId: number | null, reason: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: statsKey(storefrontId),
      UpdateExpression: "SET entity = :entity ADD #reason :one",
      ExpressionAttributeNames: { "#reason": `rejected_${reason}` },
      ExpressionAttributeValues: { ":entity": "webhook_stats", ":one": 1 },
    }),
  );
}

export async function getWebhookStats(storefrontId: number | null): Promise<Record<string, number>> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: statsKey(storefrontId) }));
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(Item ?? {})) if (typeof value === "number") counts[name] = value;
  return counts;
}

export async function getDelivery(id: string, options: { consistentRead?: boolean } = {}): Promise<DeliveryRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: deliveryKey(id), ConsistentRead: options.consistentRead }));
  return Item ? toRecord(Item) : undefined;
}

/** Records the end of one processing attempt. */
export async function recordAttempt(id: string, result: { status: DeliveryStatus; outcome?: string | null; error?: string | null; now: string }): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: deliveryKey(id),
      UpdateExpression: "SET #status = :status, outcome = :outcome, last_error = :error, processed_at = :processed ADD attempts :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":status": result.status,
        ":outcome": result.outcome ?? null,
        ":error": result.error ?? null,
        ":processed": result.status === "processed" ? result.now : null,
        ":one": 1,
      },
    }),
  );
}

/** Sets a delivery back to received so that the worker processes it again. */
export async function markForReplay(id: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: deliveryKey(id),
      UpdateExpression: "SET #status = :received, last_error = :null ADD replay_count :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":received": "received", ":null": null, ":one": 1 },
    }),
  );
}

export interface DeliveryFilter {
  topic?: string;
  status?: DeliveryStatus;
  duplicatesOnly?: boolean;
}

/** One Query of a storefront's deliveries, newest first: at most `examine` read, the matches returned with where to continue. */
export async function queryDeliveries(
  storefrontId: number,
  options: { range: DateRange; filter: DeliveryFilter; examine: number; startKey?: Item },
): Promise<{ deliveries: DeliveryRecord[]; lastKey: Item | undefined }> {
  const { condition, values } = dateRangeKeyCondition(collectionOf(storefrontId), options.range);
  const names: Record<string, string> = {};
  const filters: string[] = [];
  if (options.filter.topic !== undefined) {
    filters.push("topic = :topic");
    values[":topic"] = options.filter.topic;
  }
  if (options.filter.status !== undefined) {
    filters.push("#status = :status");
    names["#status"] = "status";
    values[":status"] = options.filter.status;
  }
  if (options.filter.duplicatesOnly) {
    filters.push("duplicate_count > :zero");
    values[":zero"] = 0;
  }
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: INDEXES.byCollection.name,
      KeyConditionExpression: condition,
      FilterExpression: filters.length > 0 ? filters.join(" AND ") : undefined,
      ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: options.examine,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { deliveries: (page.Items ?? []).map(toRecord), lastKey: page.LastEvaluatedKey };
}

/** Where a list continues after `delivery`. */
export const continuationKeyOf = (delivery: DeliveryRecord): Item => ({
  ...deliveryKey(delivery.delivery_id),
  gsi1pk: collectionOf(delivery.storefront_id),
  gsi1sk: `${delivery.received_at}#${delivery.delivery_id}`,
});
