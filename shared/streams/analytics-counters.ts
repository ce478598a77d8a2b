/**
 * The analytics aggregates' stream processor, for orders, carts and customers.
 *
 * - Daily counters: each record moves its storefront's day items by the
 *   difference between the record's old and new contribution, exactly once
 *   (apply-once markers).
 * - Customer sketches: a customer is added to the sketch of the day an order
 *   counts them on. Adding is idempotent, so redelivery needs no marker. When
 *   an order leaves a (day, customer) pair (its date or customer changed),
 *   that day's sketch is rebuilt from the day's orders: a sketch cannot
 *   forget one customer, but it can be recomputed.
 * - Customer counters: customers and buyers per storefront, for the sales
 *   summary report.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { customerSketchKey, dailyCounterUpdates, getCustomerSketch, ordersBetween, putCustomerSketch } from "../data/daily-aggregates";
import {
  cartDailyContribution,
  customerContribution,
  dailyCartOf,
  dailyDeltas,
  dailyOrderOf,
  orderCustomerDay,
  orderDailyContribution,
  parseDayBucket,
  type DailyCounters,
} from "../analytics/daily-counters";
import { emptySketch, sameSketch, sketchOf, withCustomers } from "../analytics/customer-sketch";
import { addDays } from "../domain/local-dates";
import { logger } from "../logger";
import { STATS_KEYS } from "../data/storefronts";
import { batchGetItems, keyString } from "../data/batch";
import { orderKey } from "../data/orders";
import { applyOnce, mergeUpdates, type CounterUpdate, type StreamEffect } from "./apply-once";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

export const ANALYTICS_COUNTERS_CONSUMER = "analytics-counters";
const MAX_ATTEMPTS = 5;

type Image = Record<string, unknown>;
const kindOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.sk?.S;
const isOrder = (record: DynamoDBRecord) => kindOf(record) === "ORDER";

function contributionOf(record: DynamoDBRecord, image: Image | undefined): DailyCounters {
  if (!image) return new Map();
  return isOrder(record) ? orderDailyContribution(dailyOrderOf(image)) : cartDailyContribution(dailyCartOf(image));
}

function customerCounterUpdates(before: Image | undefined, after: Image | undefined): CounterUpdate[] {
  return [before && { ...customerContribution(before), sign: -1 }, after && { ...customerContribution(after), sign: 1 }]
    .filter((entry) => entry !== undefined)
    .map(({ storefrontId, counters, sign }) => ({ key: STATS_KEYS.customers(storefrontId), add: Object.fromEntries(Object.entries(counters).map(([name, amount]) => [name, sign * amount])) }));
}

/** A record's changes to the daily counters (orders, carts) or to the customer counters (customers). */
export function analyticsCounterEffect(record: DynamoDBRecord): StreamEffect {
  const { before, after } = imagesOf(record);
  if (kindOf(record) === "CUSTOMER") return { eventId: record.eventID!, updates: mergeUpdates(customerCounterUpdates(before, after)) };
  const deltas = dailyDeltas(contributionOf(record, before), contributionOf(record, after));
  return {
    eventId: record.eventID!,
    updates: [...deltas].flatMap(([bucket, add]) => {
      const { storefrontId, date } = parseDayBucket(bucket);
      return dailyCounterUpdates(storefrontId, date, add);
    }),
  };
}

interface SketchWork {
  added: Set<number>;
  rebuild: boolean;
}

/**
 * Per day bucket, the customers to add and whether the day must be rebuilt.
 * Customers are added as the orders are now (a consistent read), never as an
 * old record says: a redelivered record must not put back a customer that a
 * later change took out. A record whose order left a (day, customer) pair has
 * that day rebuilt.
 */
export async function sketchWorkOf(records: DynamoDBRecord[]) {
  const work = new Map<string, SketchWork>();
  const entry = (bucket: string) => work.get(bucket) ?? work.set(bucket, { added: new Set(), rebuild: false }).get(bucket)!;
  const orderIds = new Set<number>();
  for (const record of records.filter(isOrder)) {
    const { before, after } = imagesOf(record);
    orderIds.add(Number((after ?? before)!.ecommerce_order_id));
    const was = before ? orderCustomerDay(dailyOrderOf(before)) : undefined;
    const is = after ? orderCustomerDay(dailyOrderOf(after)) : undefined;
    if (was && !(is && was.bucket === is.bucket && was.customerId === is.customerId)) entry(was.bucket).rebuild = true;
  }
  const found = await batchGetItems([...orderIds].map(orderKey), { consistentRead: true });
  const latest = new Map<number, Image | undefined>([...orderIds].map((id) => [id, found.get(keyString(orderKey(id)))]));
  for (const order of latest.values()) {
    const counted = order ? orderCustomerDay(dailyOrderOf(order)) : undefined;
    if (counted) entry(counted.bucket).added.add(counted.customerId);
  }
  return { work, latest };
}

/** The customers of a day, from the orders the index lists for it, corrected by the consistent reads of this batch's orders. */
async function customersOfDay(bucket: string, latest: Map<number, Image | undefined>): Promise<number[]> {
  const { storefrontId, date } = parseDayBucket(bucket);
  // Any time zone's day lies within the UTC days before and after it.
  const stored = await ordersBetween(storefrontId, `${addDays(date, -1)}T00:00:00`, `${addDays(date, 2)}T00:00:00`);
  const images = [...stored.filter((order) => !latest.has(Number(order.ecommerce_order_id))), ...[...latest.values()].filter((image) => image !== undefined)];
  return images.flatMap((image) => {
    const counted = orderCustomerDay(dailyOrderOf(image));
    return counted && counted.bucket === bucket ? [counted.customerId] : [];
  });
}

async function updateSketch(bucket: string, work: SketchWork, latest: Map<number, Image | undefined>): Promise<void> {
  const { storefrontId, date } = parseDayBucket(bucket);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await getCustomerSketch(storefrontId, date);
    const current = stored?.sketch ?? emptySketch();
    const next = work.rebuild ? sketchOf(await customersOfDay(bucket, latest)) : withCustomers(current, work.added);
    if (sameSketch(next, current)) return;
    if (await putCustomerSketch(storefrontId, date, next, stored?.version ?? 0)) return;
  }
  throw new Error(`the customer sketch ${JSON.stringify(customerSketchKey(storefrontId, date))} kept changing`);
}

export async function updateDailyAggregates(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const failedAt = await applyOnce(ANALYTICS_COUNTERS_CONSUMER, records.map(analyticsCounterEffect));
  const handled = failedAt === undefined ? records : records.slice(0, failedAt);
  try {
    const { work, latest } = await sketchWorkOf(handled);
    for (const [bucket, entry] of work) await updateSketch(bucket, entry, latest);
  } catch (error) {
    // Sketch updates are idempotent: the whole batch is tried again (its counters are protected by their markers).
    logger.error("cannot update the customer sketches; the batch will be retried", { error: error as Error });
    return failuresFrom(records, 0);
  }
  return failuresFrom(records, failedAt);
}
