/**
 * The order totals' stream processor: whenever an order's items change, its
 * subtotal and total are recomputed from the items read back from the table
 * (one Query of the order's partition). Recomputing from the source makes
 * redelivered and reordered records harmless; an order already right is not written.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { getOrderWithDetails, writeOrderTotals } from "../data/orders";
import { orderTotals } from "../domain/order-records";
import { logger } from "../logger";
import { failuresFrom } from "./batch";

const MAX_ATTEMPTS = 5;

const orderIdOf = (record: DynamoDBRecord): number => Number(String(record.dynamodb?.Keys?.pk?.S).slice("ORDER#".length));

export async function recomputeOrderTotals(orderId: number): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const found = await getOrderWithDetails(orderId, { consistentRead: true });
    if (!found) return;
    const totals = orderTotals(found.items, found.order);
    if (totals.subtotal_minor === found.order.subtotal_minor && totals.total_minor === found.order.total_minor) return;
    if (await writeOrderTotals(orderId, totals, found.order.version, new Date().toISOString())) return;
  }
  throw new Error(`order ${orderId} kept changing while its totals were recomputed`);
}

export async function updateOrderTotals(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const done = new Set<number>();
  for (const [index, record] of records.entries()) {
    const orderId = orderIdOf(record);
    // Several items of one order in a batch: its totals are recomputed once, after the first.
    if (done.has(orderId)) continue;
    try {
      await recomputeOrderTotals(orderId);
      done.add(orderId);
    } catch (error) {
      logger.error("cannot recompute an order's totals; this record and the ones after it will be retried", { eventId: record.eventID, error: error as Error });
      return failuresFrom(records, index);
    }
  }
  return failuresFrom(records, undefined);
}
