/**
 * The webhook worker: for each queued delivery, reads it, maps its payload
 * with its platform's mapper and applies the actions. A delivery already
 * processed is skipped, so a redelivered message does nothing twice (and the
 * domain writes are idempotent besides).
 *
 * A failure is retried with exponential backoff (the message's visibility is
 * pushed out); a payload that can never be applied (unreadable, invalid) is
 * made visible again at once, so it reaches the dead-letter queue after the
 * queue's last receive without waiting. On that last receive the delivery is
 * marked failed (and made visible at once, for the queue to move it). Other messages of the batch are not held up either way.
 */
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { HttpError } from "../http/errors";
import { getDelivery, recordAttempt, type DeliveryRecord } from "../data/webhook-deliveries";
import { retryAfter, backoffSeconds } from "../queues";
import { logger } from "../logger";
import { UnreadablePayloadError, type WebhookAction } from "./actions";
import { applyActions } from "./apply";
import { WEBHOOK_MAX_RECEIVES, WEBHOOK_QUEUE } from "./queue";
import { parsePlatformJson } from "./parse-json";
import { mapGeneric } from "./generic";
import { mapShopify } from "./shopify";
import { mapWooCommerce } from "./woocommerce";

const BACKOFF_BASE_SECONDS = 2;
const BACKOFF_MAX_SECONDS = 300;

function actionsOf(delivery: DeliveryRecord): WebhookAction[] {
  let payload: unknown;
  try {
    payload = parsePlatformJson(delivery.raw_body);
  } catch {
    throw new UnreadablePayloadError("the stored body is not JSON");
  }
  switch (delivery.source) {
    case "shopify":
      return mapShopify(delivery.topic, payload);
    case "woocommerce":
      return mapWooCommerce(delivery.topic, payload);
    case "generic": {
      const data = (payload as { data?: unknown } | null)?.data;
      return mapGeneric(delivery.topic, data);
    }
  }
}

/** Errors no retry can fix: the payload itself is wrong. */
const isPermanent = (error: unknown) => error instanceof UnreadablePayloadError || (error instanceof HttpError && error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 409);

/** What a failure says about itself on the delivery: validation errors name their fields; anything else only its kind. */
function describe(error: unknown): string {
  if (error instanceof HttpError) return `${error.code}: ${error.message}${Array.isArray(error.details) ? ` ${JSON.stringify(error.details)}` : ""}`;
  if (error instanceof UnreadablePayloadError) return `unreadable_payload: ${error.message}`;
  return `processing_error: ${(error as Error).name ?? "Error"}; retried`;
}

async function processRecord(record: SQSRecord): Promise<boolean> {
  const { delivery_id: deliveryId } = JSON.parse(record.body) as { delivery_id: string };
  const delivery = await getDelivery(deliveryId, { consistentRead: true });
  // Expired, or already done by an earlier receive of the same message.
  if (!delivery || delivery.status === "processed") return true;
  const receives = Number(record.attributes.ApproximateReceiveCount ?? 1);
  try {
    const outcome = await applyActions(delivery.storefront_id, actionsOf(delivery));
    await recordAttempt(deliveryId, { status: "processed", outcome, now: new Date().toISOString() });
    return true;
  } catch (error) {
    const permanent = isPermanent(error);
    const last = receives >= WEBHOOK_MAX_RECEIVES;
    logger.warn("a webhook delivery could not be processed", { deliveryId, topic: delivery.topic, receives, permanent, last, error: error as Error });
    await recordAttempt(deliveryId, { status: last ? "failed" : "received", error: describe(error), now: new Date().toISOString() });
    // Hopeless (or out of tries): visible again at once, so that the queue's redrive moves it to the dead-letter queue now.
    const seconds = permanent || last ? 0 : backoffSeconds(receives, { base: BACKOFF_BASE_SECONDS, max: BACKOFF_MAX_SECONDS });
    await retryAfter(WEBHOOK_QUEUE, record.receiptHandle, seconds).catch((visibilityError) =>
      logger.warn("cannot set the retry delay; the queue's visibility timeout applies", { deliveryId, error: visibilityError as Error }),
    );
    return false;
  }
}

/** The batch's deliveries are independent (a standard queue keeps no order anyway): processed side by side. */
export async function processDeliveries(records: SQSRecord[]): Promise<SQSBatchResponse> {
  const outcomes = await Promise.all(
    records.map(async (record) => {
      try {
        return await processRecord(record);
      } catch (error) {
        logger.error("a webhook message could not be handled; it will be retried", { messageId: record.messageId, error: error as Error });
        return false;
      }
    }),
  );
  return { batchItemFailures: records.flatMap((record, index) => (outcomes[index] ? [] : [{ itemIdentifier: record.messageId }])) };
}
