/**
 * The category paths' stream processor. A category's own path is written with
 * it; this keeps the paths below it in step. For every category written, it
 * re-checks that category's path against its parent's (a write that raced
 * with the parent's rename is corrected here), and when the path changed or
 * the category is new (children may have arrived before it), it refreshes
 * its direct children. Their changes come back through the stream, so a
 * change walks down the tree one level at a time. Everything is recomputed
 * from the current items, so redelivered or replayed records are harmless.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { refreshCategoryPath, refreshChildPaths } from "../domain/categories";
import { logger } from "../logger";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

async function followCategoryChange(record: DynamoDBRecord): Promise<void> {
  const { before, after } = imagesOf(record);
  if (!after) return;
  await refreshCategoryPath(Number(after.ecommerce_category_id));
  if (before?.category_path !== after.category_path) {
    await refreshChildPaths(Number(after.storefront_id), String(after.external_category_id));
  }
}

export async function updateCategoryPaths(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  for (const [index, record] of records.entries()) {
    try {
      await followCategoryChange(record);
    } catch (error) {
      logger.error("cannot update category paths; this record and the ones after it will be retried", { eventId: record.eventID, error: error as Error });
      return failuresFrom(records, index);
    }
  }
  return failuresFrom(records, undefined);
}
