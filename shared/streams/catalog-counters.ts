/**
 * The catalog counters' stream processor: every product change moves its
 * storefront's STATS#CATALOG counters and its categories' product counts by
 * the difference between the product's old and new contribution, exactly once.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { STATS_KEYS } from "../data/storefronts";
import { categoryStatsKey } from "../data/categories";
import { catalogDeltas, DEFAULT_LOW_STOCK_THRESHOLD, type CountedProduct } from "../domain/catalog-stats";
import type { SyncStatus } from "../schemas/product";
import { applyOnce, type StreamEffect } from "./apply-once";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

export const CATALOG_COUNTERS_CONSUMER = "catalog-counters";

export function countedProduct(image: Record<string, unknown>): CountedProduct {
  return {
    storefront_id: Number(image.storefront_id),
    sync_status: image.sync_status as SyncStatus,
    is_published: image.is_published === true,
    inventory_quantity: Number(image.inventory_quantity ?? 0),
    inventory_tracked: image.inventory_tracked !== false,
    low_stock_threshold: Number(image.low_stock_threshold ?? DEFAULT_LOW_STOCK_THRESHOLD),
    ecommerce_category_id: typeof image.ecommerce_category_id === "number" ? image.ecommerce_category_id : null,
  };
}

/** What one product record changes in the counters. */
export function productCounterEffect(record: DynamoDBRecord): StreamEffect {
  const { before, after } = imagesOf(record);
  const deltas = catalogDeltas(before && countedProduct(before), after && countedProduct(after));
  return {
    eventId: record.eventID!,
    updates: [
      ...[...deltas.storefronts].map(([storefrontId, add]) => ({ key: STATS_KEYS.catalog(storefrontId), add: add as Record<string, number> })),
      ...[...deltas.categories].map(([categoryId, change]) => ({ key: categoryStatsKey(categoryId), add: { product_count: change } })),
    ],
  };
}

export async function updateCatalogCounters(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  return failuresFrom(records, await applyOnce(CATALOG_COUNTERS_CONSUMER, records.map(productCounterEffect)));
}
