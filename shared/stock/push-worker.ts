/**
 * The stock-push worker: one push per SKU named in the batch (several
 * messages for one SKU are one push). A push that a platform failed is
 * retried with exponential backoff and jitter; after the queue's last receive its
 * message goes to the dead-letter queue.
 */
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { logger } from "../logger";
import { backoffSeconds, retryAfter } from "../queues";
import { pushSku, type PushDeps } from "./push";
import { STOCK_PUSH_MAX_RECEIVES, STOCK_PUSH_QUEUE, type StockPushMessage } from "./queue";

const BACKOFF_BASE_SECONDS = 2;
const BACKOFF_MAX_SECONDS = 120;

async function pushed(sku: string, deps: PushDeps): Promise<boolean> {
  try {
    const outcome = await pushSku(sku, deps);
    return outcome.failedStorefronts.length === 0;
  } catch (error) {
    logger.error("a stock push failed; it will be retried", { sku, error: error as Error });
    return false;
  }
}

export async function processStockPushes(records: SQSRecord[], deps: PushDeps = {}): Promise<SQSBatchResponse> {
  const bySku = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const { sku } = JSON.parse(record.body) as StockPushMessage;
    bySku.set(sku, [...(bySku.get(sku) ?? []), record]);
  }
  const failed: SQSRecord[] = [];
  await Promise.all(
    [...bySku].map(async ([sku, messages]) => {
      if (await pushed(sku, deps)) return;
      failed.push(...messages);
      for (const message of messages) {
        const receives = Number(message.attributes.ApproximateReceiveCount ?? 1);
        // Out of tries: visible again at once, so that the queue's redrive moves it to the dead-letter queue now.
        const seconds = receives >= STOCK_PUSH_MAX_RECEIVES ? 0 : backoffSeconds(receives, { base: BACKOFF_BASE_SECONDS, max: BACKOFF_MAX_SECONDS });
        await retryAfter(STOCK_PUSH_QUEUE, message.receiptHandle, seconds).catch((error) =>
          logger.warn("cannot set the retry delay; the queue's visibility timeout applies", { sku, error: error as Error }),
        );
      }
    }),
  );
  return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
}
