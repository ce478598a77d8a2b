/**
 * The cart counters' stream processor: every cart change moves its
 * storefront's STATS#CARTS#<currency> counters by the difference between the
 * cart's old and new contribution, exactly once (apply-once markers).
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { cartStatsKey } from "../data/carts";
import { cartDeltas, type CountedCart } from "../domain/cart-counters";
import { applyOnce, type StreamEffect } from "./apply-once";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

export const CART_COUNTERS_CONSUMER = "cart-counters";

export function countedCart(image: Record<string, unknown> | undefined): CountedCart | undefined {
  if (!image) return undefined;
  return {
    storefront_id: Number(image.storefront_id),
    currency: String(image.currency),
    cart_status: image.cart_status as CountedCart["cart_status"],
    was_abandoned: image.was_abandoned === true,
    total_minor: Number(image.total_minor ?? 0),
    recovery_email_count: Number(image.recovery_email_count ?? 0),
    recovered_revenue_minor: Number(image.recovered_revenue_minor ?? 0),
    recovered_currency: typeof image.recovered_currency === "string" ? image.recovered_currency : null,
  };
}

export function cartCounterEffect(record: DynamoDBRecord): StreamEffect {
  const { before, after } = imagesOf(record);
  const deltas = cartDeltas(countedCart(before), countedCart(after));
  return {
    eventId: record.eventID!,
    updates: [...deltas].map(([key, add]) => {
      const [storefrontId, currency] = key.split("#");
      return { key: cartStatsKey(Number(storefrontId), currency!), add };
    }),
  };
}

export async function updateCartCounters(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  return failuresFrom(records, await applyOnce(CART_COUNTERS_CONSUMER, records.map(cartCounterEffect)));
}
