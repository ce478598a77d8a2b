/**
 * The catalog's aggregates: what each product adds to its storefront's
 * counters and to its category's product count. Stream processors apply the
 * difference between a product's old and new contribution, so the counters
 * follow every create, change and delete without reading the catalog.
 */
import type { SyncStatus } from "../schemas/product";

/** Used when a product does not say when it runs low; the contract gives no default. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 10;

export type StockStatus = "in_stock" | "low_stock" | "out_of_stock";

export interface StockFields {
  inventory_quantity: number;
  inventory_tracked: boolean;
  low_stock_threshold: number;
}

/** Untracked inventory never runs out; tracked inventory is out at zero and low at or under its threshold. */
export function stockStatus(product: StockFields): StockStatus {
  if (!product.inventory_tracked) return "in_stock";
  if (product.inventory_quantity <= 0) return "out_of_stock";
  if (product.inventory_quantity <= product.low_stock_threshold) return "low_stock";
  return "in_stock";
}

/** The counters of a storefront's STATS#CATALOG item (product_count is also read by the storefront list). */
export const CATALOG_COUNTERS = [
  "product_count",
  "synced_count",
  "pending_count",
  "error_count",
  "conflict_count",
  "published_count",
  "total_inventory",
  "low_stock_count",
  "out_of_stock_count",
] as const;
export type CatalogCounter = (typeof CATALOG_COUNTERS)[number];
export type CatalogCounters = Record<CatalogCounter, number>;

export const emptyCatalogCounters = (): CatalogCounters =>
  Object.fromEntries(CATALOG_COUNTERS.map((counter) => [counter, 0])) as CatalogCounters;

export const syncStatusCounter = (status: SyncStatus): CatalogCounter => `${status}_count`;

/** The product fields the aggregates depend on. */
export interface CountedProduct extends StockFields {
  storefront_id: number;
  sync_status: SyncStatus;
  is_published: boolean;
  ecommerce_category_id: number | null;
}

/** What one product adds to its storefront's counters. */
export function catalogContribution(product: CountedProduct): CatalogCounters {
  const counters = emptyCatalogCounters();
  const stock = stockStatus(product);
  counters.product_count = 1;
  counters[syncStatusCounter(product.sync_status)] = 1;
  counters.published_count = product.is_published ? 1 : 0;
  counters.total_inventory = product.inventory_quantity;
  counters.low_stock_count = stock === "low_stock" ? 1 : 0;
  counters.out_of_stock_count = stock === "out_of_stock" ? 1 : 0;
  return counters;
}

/** Per storefront and per category, the changes one product change makes; zero changes are left out. */
export interface CatalogDeltas {
  storefronts: Map<number, Partial<CatalogCounters>>;
  categories: Map<number, number>;
}

/** The difference between a product's contribution before and after a change (`undefined` = not there). */
export function catalogDeltas(before: CountedProduct | undefined, after: CountedProduct | undefined): CatalogDeltas {
  const storefronts = new Map<number, Partial<CatalogCounters>>();
  const add = (product: CountedProduct, sign: 1 | -1) => {
    const delta = storefronts.get(product.storefront_id) ?? {};
    const contribution = catalogContribution(product);
    for (const counter of CATALOG_COUNTERS) {
      const value = (delta[counter] ?? 0) + sign * contribution[counter];
      if (value === 0) delete delta[counter];
      else delta[counter] = value;
    }
    storefronts.set(product.storefront_id, delta);
  };
  if (before) add(before, -1);
  if (after) add(after, 1);
  for (const [storefrontId, delta] of storefronts) if (Object.keys(delta).length === 0) storefronts.delete(storefrontId);

  const categories = new Map<number, number>();
  const move = (categoryId: number | null | undefined, change: number) => {
    if (!categoryId) return;
    const value = (categories.get(categoryId) ?? 0) + change;
    if (value === 0) categories.delete(categoryId);
    else categories.set(categoryId, value);
  };
  move(before?.ecommerce_category_id, -1);
  move(after?.ecommerce_category_id, 1);
  return { storefronts, categories };
}
