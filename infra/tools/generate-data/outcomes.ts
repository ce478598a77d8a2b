/**
 * Where an order stands: the statuses it has reached by its age, and when the
 * platform last reported a change.
 */
import type { FulfillmentStatus, OrderStatus, PaymentStatus } from "../../../shared/schemas/order";
import type { Random } from "./random";

export type Outcome = [OrderStatus, PaymentStatus, FulfillmentStatus];

/** The status an order has reached, by its age in days. */
export function outcomeOf(ageDays: number, random: Random): Outcome {
  if (ageDays < 1) {
    return random.weighted<Outcome>([
      [["pending", "pending", "unfulfilled"], 25],
      [["confirmed", "authorized", "unfulfilled"], 10],
      [["confirmed", "paid", "unfulfilled"], 35],
      [["processing", "paid", "partially_fulfilled"], 12],
      [["fulfilled", "paid", "fulfilled"], 10],
      [["cancelled", "voided", "unfulfilled"], 8],
    ]);
  }
  if (ageDays < 4) {
    return random.weighted<Outcome>([
      [["pending", "pending", "unfulfilled"], 3],
      [["confirmed", "paid", "unfulfilled"], 12],
      [["processing", "paid", "partially_fulfilled"], 15],
      [["fulfilled", "paid", "fulfilled"], 56],
      [["cancelled", "voided", "unfulfilled"], 6],
      [["cancelled", "refunded", "unfulfilled"], 2],
      [["refunded", "refunded", "fulfilled"], 2],
      [["fulfilled", "partially_refunded", "fulfilled"], 4],
    ]);
  }
  return random.weighted<Outcome>([
    [["pending", "pending", "unfulfilled"], 1],
    [["processing", "partially_paid", "partially_fulfilled"], 1],
    [["fulfilled", "paid", "fulfilled"], 78],
    [["cancelled", "voided", "unfulfilled"], 5],
    [["cancelled", "refunded", "unfulfilled"], 2],
    [["refunded", "refunded", "fulfilled"], 6],
    [["fulfilled", "partially_refunded", "fulfilled"], 7],
  ]);
}

/** Hours between the order and the status change the platform reported last. */
export function hoursToOutcome([order, payment]: Outcome, random: Random): number {
  if (order === "refunded" || payment === "partially_refunded") return random.int(72, 480);
  if (order === "cancelled") return random.int(1, 36);
  if (order === "fulfilled") return random.int(18, 96);
  if (order === "processing") return random.int(4, 30);
  return random.int(0, 2);
}
