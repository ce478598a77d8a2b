/**
 * The customer statistics' stream processor. For every order change it puts
 * the order's summary into its customer's partition, conditioned on the
 * order's version (an older event never overwrites a newer one; a replayed
 * one finds its version there already), marks it moved in a customer the order
 * no longer belongs to, and then recomputes the customer's statistics from
 * all their summaries (a Query of the customer's partition: it grows with the
 * customer's orders, not the storefront's).
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { customerOrderSummaries, markOrderSummaryMoved, getCustomer, putOrderSummary, setCustomerStats, type OrderSummary } from "../data/customers";
import { customerStats } from "../domain/customer-stats";
import { logger } from "../logger";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

const MAX_ATTEMPTS = 5;

function summaryOf(order: Record<string, unknown>): OrderSummary {
  return {
    ecommerce_order_id: Number(order.ecommerce_order_id),
    version: Number(order.version),
    external_order_number: (order.external_order_number as string | null | undefined) ?? null,
    order_date: String(order.order_date),
    order_status: String(order.order_status),
    payment_status: String(order.payment_status),
    is_test_order: order.is_test_order === true,
    currency: String(order.currency),
    total_minor: Number(order.total_minor),
  };
}

export async function recomputeCustomerStats(customerId: number): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const customer = await getCustomer(customerId, { consistentRead: true });
    if (!customer) return;
    const stats = customerStats(await customerOrderSummaries(customerId, { consistentRead: true }), customer.currency);
    const unchanged = (Object.keys(stats) as (keyof typeof stats)[]).every((field) => stats[field] === customer[field]);
    if (unchanged || (await setCustomerStats(customerId, { ...stats }, customer.version))) return;
  }
  throw new Error(`customer ${customerId} kept changing while their statistics were recomputed`);
}

async function followOrderChange(record: DynamoDBRecord): Promise<void> {
  const { before, after } = imagesOf(record);
  if (!after) return;
  const summary = summaryOf(after);
  const customerId = Number(after.ecommerce_customer_id);
  const previousCustomerId = before ? Number(before.ecommerce_customer_id) : customerId;
  if (previousCustomerId !== customerId) {
    await markOrderSummaryMoved(previousCustomerId, summary.ecommerce_order_id, summary.version);
    await recomputeCustomerStats(previousCustomerId);
  }
  // The summary is written only when newer than what is there. The statistics are recomputed either way, since a
  // redelivery may follow a failure between the two; unchanged statistics are not written.
  await putOrderSummary(customerId, summary);
  await recomputeCustomerStats(customerId);
}

export async function updateCustomerStats(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  for (const [index, record] of records.entries()) {
    try {
      await followOrderChange(record);
    } catch (error) {
      logger.error("cannot update a customer's statistics; this record and the ones after it will be retried", { eventId: record.eventID, error: error as Error });
      return failuresFrom(records, index);
    }
  }
  return failuresFrom(records, undefined);
}
