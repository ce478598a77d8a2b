/**
 * Orders that name their cart (cart_token) or checkout (checkout_token ->
 * external_cart_id) convert that cart: it becomes converted, or recovered
 * when a recovery email went out, and the order's total counts as recovered
 * revenue. Linking is done once per cart, so redelivered records change nothing.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { findCartIds } from "../data/carts";
import { convertCartToOrder } from "../domain/carts";
import { logger } from "../logger";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

const textOrNull = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);

async function convert(record: DynamoDBRecord): Promise<void> {
  const { before, after } = imagesOf(record);
  if (!after) return;
  const checkout = textOrNull(after.checkout_token);
  const cartToken = textOrNull(after.cart_token);
  if (!checkout && !cartToken) return;
  if (before && textOrNull(before.checkout_token) === checkout && textOrNull(before.cart_token) === cartToken) return;
  const storefrontId = Number(after.storefront_id);
  // One order completes one cart: the checkout it names, else the cart its token names.
  const [cartId] = await findCartIds(storefrontId, checkout, cartToken);
  if (cartId === undefined) return;
  const outcome = await convertCartToOrder(cartId, { ecommerce_order_id: Number(after.ecommerce_order_id), total_minor: Number(after.total_minor), currency: String(after.currency) });
  logger.info("cart conversion", { cartId, orderId: after.ecommerce_order_id, outcome });
}

export async function convertCarts(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  for (const [index, record] of records.entries()) {
    try {
      await convert(record);
    } catch (error) {
      logger.error("cannot link an order to its cart; it and the records after it will be retried", { eventId: record.eventID, error: error as Error });
      return failuresFrom(records, index);
    }
  }
  return failuresFrom(records, undefined);
}
