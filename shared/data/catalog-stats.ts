import { batchGetItems, keyString } from "./batch";
import { STATS_KEYS } from "./storefronts";
import { CATALOG_COUNTERS, emptyCatalogCounters, type CatalogCounters } from "../domain/catalog-stats";

/**
 * A storefront's catalog counters.
 * Access pattern:
 * - counters of some storefronts ..... BatchGetItem pk = STOREFRONT#<id>, sk = STATS#CATALOG
 *     (kept by the catalog-counters stream processor; an absent item reads as zeros)
 */
export async function getCatalogCounters(storefrontIds: number[]): Promise<Map<number, CatalogCounters>> {
  const items = await batchGetItems(storefrontIds.map(STATS_KEYS.catalog));
  return new Map(
    storefrontIds.map((id) => {
      const item = items.get(keyString(STATS_KEYS.catalog(id)));
      const counters = emptyCatalogCounters();
      for (const counter of CATALOG_COUNTERS) counters[counter] = Number(item?.[counter] ?? 0);
      return [id, counters];
    }),
  );
}
