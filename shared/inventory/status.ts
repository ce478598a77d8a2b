/**
 * GET /inventory/sync: each product's stock and stock status, page by page
 * over the storefronts in scope (one Query of a storefront's product
 * collection per page in the usual case), and the statistics the catalog
 * counters keep (never a count over the catalog).
 */
import { getCatalogCounters } from "../data/catalog-stats";
import { decodeCursor, encodeCursor } from "../data/cursor";
import { queryStorefrontProducts } from "../data/products";
import { stockStatus } from "../domain/catalog-stats";
import type { ProductRecord } from "../domain/product-records";
import { storefrontsInScope } from "../domain/storefront-scope";
import type { Principal } from "../domain/roles";
import { BadRequestError } from "../http/errors";
import type { InventoryStatusQuery } from "../schemas/sync";

const stockView = (product: ProductRecord) => ({
  ecommerce_product_id: product.ecommerce_product_id,
  storefront_id: product.storefront_id,
  external_product_id: product.external_product_id,
  product_name: product.product_name,
  ecommerce_inventory: product.inventory_quantity,
  low_stock_threshold: product.low_stock_threshold,
  stock_status: stockStatus(product),
  sync_status: product.sync_status,
  last_synced_at: product.last_synced_at,
});

/** Where the list resumes: a storefront, and the last product id read of it (none: its start). */
interface Position {
  s: number;
  a?: number;
}

function positionOf(cursor: string | undefined): Position | undefined {
  const value = decodeCursor(cursor);
  if (value === undefined) return undefined;
  if (typeof value.s !== "number" || (value.a !== undefined && typeof value.a !== "number")) {
    throw new BadRequestError("invalid_cursor", "The cursor is not one this API returned", [{ field: "query.cursor", message: "is not a valid cursor" }]);
  }
  return value as unknown as Position;
}

export async function inventoryStatus(query: InventoryStatusQuery, principal: Principal) {
  const scope = (await storefrontsInScope(query.storefront_id, principal)).map((storefront) => storefront.storefront_id);
  const start = positionOf(query.cursor);
  let lane = start === undefined ? 0 : scope.indexOf(start.s);
  if (lane < 0) lane = scope.length;
  let afterId = start?.a;
  const products: ProductRecord[] = [];
  while (lane < scope.length && products.length < query.limit) {
    const page = await queryStorefrontProducts(scope[lane]!, { afterId, examine: query.limit - products.length, filter: {} });
    products.push(...page.products);
    if (page.lastExaminedId === undefined) {
      lane += 1;
      afterId = undefined;
    } else afterId = page.lastExaminedId;
  }
  const next: Position | undefined = lane < scope.length ? { s: scope[lane]!, ...(afterId === undefined ? {} : { a: afterId }) } : undefined;
  const counters = await getCatalogCounters(scope);
  const sum = (name: "product_count" | "low_stock_count" | "out_of_stock_count" | "synced_count" | "pending_count") =>
    [...counters.values()].reduce((total, counter) => total + counter[name], 0);
  return {
    products: products.map(stockView),
    next_cursor: encodeCursor(next as Record<string, unknown> | undefined),
    statistics: {
      total_products: sum("product_count"),
      low_stock_count: sum("low_stock_count"),
      out_of_stock_count: sum("out_of_stock_count"),
      synced_count: sum("synced_count"),
      pending_sync_count: sum("pending_count"),
    },
  };
}
