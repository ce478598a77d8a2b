/**
 * The product list: pages of a storefront's products (or of every storefront
 * the key may read, one after the other in id order), with the catalog
 * statistics read from the counters the stream processor keeps. Its cost
 * depends on the page, not on the size of the catalog: one Query per
 * storefront visited (more when filters leave most products out), one
 * BatchGetItem for the counters and one for the products' order counts.
 */
import { BadRequestError } from "../http/errors";
import { decodeCursor, encodeCursor } from "../data/cursor";
import { getCatalogCounters } from "../data/catalog-stats";
import { getCategoryWithCount } from "../data/categories";
import { getProductSalesStats, hasFilter, queryStorefrontProducts, type ProductFilter } from "../data/products";
import type { StorefrontItem } from "../data/storefronts";
import type { ListProductsQuery } from "../schemas/product";
import { storefrontsInScope } from "./storefront-scope";
import { emptyCatalogCounters, syncStatusCounter, type CatalogCounters } from "./catalog-stats";
import { productView, type ProductRecord } from "./product-records";
import type { Principal } from "./roles";

/**
 * Most products one request examines when filters leave most of them out;
 * past it the page comes back short, with a next_cursor to continue from.
 */
export const MAX_EXAMINED_PER_REQUEST = 20_000;
/** Products read per Query when filtering, so that a selective filter does not take one round trip per match. */
const FILTERED_QUERY_SIZE = 500;

/** Where a page starts: a storefront of the scope, after a product id (or at its start). */
interface Position {
  storefrontIndex: number;
  afterId: number | undefined;
}

interface CursorValue {
  s: number;
  p?: number;
}

const invalidCursor = () =>
  new BadRequestError("invalid_cursor", "The cursor is not one this API returned for these parameters", [{ field: "query.cursor", message: "is not a valid cursor" }]);

function startPosition(cursor: string | undefined, scope: StorefrontItem[]): Position {
  if (cursor === undefined) return { storefrontIndex: 0, afterId: undefined };
  const value = decodeCursor(cursor) as Partial<CursorValue>;
  const storefrontIndex = scope.findIndex((storefront) => storefront.storefront_id === value.s);
  if (storefrontIndex < 0 || (value.p !== undefined && !Number.isInteger(value.p))) throw invalidCursor();
  return { storefrontIndex, afterId: value.p };
}

const cursorAt = (scope: StorefrontItem[], position: Position): string | null =>
  position.storefrontIndex < scope.length
    ? encodeCursor({ s: scope[position.storefrontIndex]!.storefront_id, ...(position.afterId === undefined ? {} : { p: position.afterId }) })
    : null;

/**
 * Collects `skip + limit` matching products from `start`, walking the scope's
 * storefronts in order. Returns the page and where the next one starts.
 */
async function collectPage(scope: StorefrontItem[], start: Position, filter: ProductFilter, skip: number, limit: number) {
  const filtered = hasFilter(filter);
  const matched: { product: ProductRecord; storefrontIndex: number }[] = [];
  const position = { ...start };
  let examined = 0;
  let skipped = 0;
  while (position.storefrontIndex < scope.length && matched.length < limit + 1 && examined < MAX_EXAMINED_PER_REQUEST) {
    // One more than the page, to know whether another page follows.
    const wanted = skip - skipped + limit + 1 - matched.length;
    const examine = Math.min(filtered ? Math.max(wanted, FILTERED_QUERY_SIZE) : wanted, MAX_EXAMINED_PER_REQUEST - examined);
    const page = await queryStorefrontProducts(scope[position.storefrontIndex]!.storefront_id, { afterId: position.afterId, examine, filter });
    examined += examine;
    for (const product of page.products) {
      if (skipped < skip) skipped += 1;
      else matched.push({ product, storefrontIndex: position.storefrontIndex });
    }
    if (page.lastExaminedId === undefined) {
      position.storefrontIndex += 1;
      position.afterId = undefined;
    } else position.afterId = page.lastExaminedId;
  }
  const products = matched.slice(0, limit);
  const last = products.at(-1);
  // More matches than the page: continue after its last product; otherwise after the last product examined.
  const next = matched.length > limit && last ? { storefrontIndex: last.storefrontIndex, afterId: last.product.ecommerce_product_id } : position;
  return { products: products.map(({ product }) => product), nextCursor: cursorAt(scope, next) };
}

function sumCounters(counters: Iterable<CatalogCounters>): CatalogCounters {
  const total = emptyCatalogCounters();
  for (const each of counters) for (const [counter, value] of Object.entries(each)) total[counter as keyof CatalogCounters] += value;
  return total;
}

/**
 * The number of products matching the filters, when counters answer it: no
 * filter, or only a sync status, only publication, or only a category.
 * Searches and combinations of filters have no counter: null.
 */
async function matchingTotal(filter: ProductFilter, totals: CatalogCounters, scope: StorefrontItem[]): Promise<number | null> {
  const used = Object.entries(filter).filter(([, value]) => value !== undefined).map(([name]) => name);
  if (used.length === 0) return totals.product_count;
  if (used.length > 1) return null;
  if (filter.sync_status !== undefined) return totals[syncStatusCounter(filter.sync_status)];
  if (filter.is_published !== undefined) return filter.is_published ? totals.published_count : totals.product_count - totals.published_count;
  if (filter.category_id !== undefined) {
    const category = await getCategoryWithCount(filter.category_id);
    return category && scope.some((storefront) => storefront.storefront_id === category.category.storefront_id) ? category.productCount : 0;
  }
  return null;
}

export async function listProducts(query: ListProductsQuery, principal: Principal) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const filter: ProductFilter = {
    sync_status: query.sync_status,
    is_published: query.is_published,
    category_id: query.category_id,
    search: query.search?.toLowerCase(),
  };
  const page = query.cursor === undefined ? (query.page ?? 1) : null;
  const [collected, counters] = await Promise.all([
    collectPage(scope, startPosition(query.cursor, scope), filter, ((page ?? 1) - 1) * query.limit, query.limit),
    getCatalogCounters(scope.map((storefront) => storefront.storefront_id)),
  ]);
  const totals = sumCounters(counters.values());
  const [total, sales] = await Promise.all([
    matchingTotal(filter, totals, scope),
    getProductSalesStats(collected.products.map((product) => product.ecommerce_product_id)),
  ]);
  const names = new Map(scope.map((storefront) => [storefront.storefront_id, storefront.storefront_name]));
  return {
    products: collected.products.map((product) => ({
      ...productView(product),
      storefront_name: names.get(product.storefront_id)!,
      order_count: sales.get(product.ecommerce_product_id)!.order_count,
    })),
    pagination: { page, limit: query.limit, total, totalPages: total === null ? null : Math.ceil(total / query.limit) },
    next_cursor: collected.nextCursor,
    statistics: {
      total_products: totals.product_count,
      synced_count: totals.synced_count,
      pending_count: totals.pending_count,
      error_count: totals.error_count,
      conflict_count: totals.conflict_count,
      published_count: totals.published_count,
      total_inventory: totals.total_inventory,
      low_stock_count: totals.low_stock_count,
      out_of_stock_count: totals.out_of_stock_count,
    },
  };
}
