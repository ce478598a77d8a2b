/**
 * A product as the hub keeps it, and the pure rules that turn requests into
 * it: money converted exactly into the currency's minor units, defaults on
 * creation, field-by-field merging on updates (so that a replayed request is
 * recognised as changing nothing), and the API's view of it.
 */
import type { StockOrigin } from "../stock/listing";
import { ConflictError } from "../http/errors";
import { productView as productViewSchema, type ProductFieldsInput, type SyncStatus } from "../schemas/product";
import { DEFAULT_LOW_STOCK_THRESHOLD, stockStatus } from "./catalog-stats";
import { amountText, withMinorUnits } from "./catalog-money";
import { changedFieldsOf, definedOnly, inOrder } from "./record-fields";
import { formatMinorUnits } from "./money";

export interface ProductRecord {
  ecommerce_product_id: number;
  storefront_id: number;
  /** The storefront's default currency when the product was created; every amount is in it. */
  currency: string;
  external_product_id: string;
  external_sku: string | null;
  erp_product_id: number | null;
  erp_sku: string | null;
  product_name: string;
  product_slug: string | null;
  short_description: string | null;
  long_description: string | null;
  price_minor: number;
  compare_at_price_minor: number | null;
  cost_per_item_minor: number | null;
  /** For a product with variants, the sum of theirs, kept by the variant writes. */
  inventory_quantity: number;
  inventory_tracked: boolean;
  allow_backorder: boolean;
  low_stock_threshold: number;
  weight: number | null;
  length: number | null;
  width: number | null;
  height: number | null;
  weight_unit: string;
  dimension_unit: string;
  featured_image_url: string | null;
  image_urls: string[];
  meta_title: string | null;
  meta_description: string | null;
  meta_keywords: string | null;
  is_published: boolean;
  is_featured: boolean;
  is_on_sale: boolean;
  published_at: string | null;
  sync_direction: string;
  sync_status: SyncStatus;
  last_synced_at: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  external_metadata: Record<string, unknown>;
  ecommerce_category_id: number | null;
  variant_count: number;
  /** Where the quantity last written came from (shared/stock/listing.ts); absent or null: the hub. */
  stock_origin?: StockOrigin | null;
  /** Counts the hub's own changes of its stock (shared/stock/listing.ts). */
  stock_seq?: number;
  /** The platform's own updated_at of the data last applied; older updates are refused. */
  platform_updated_at: string | null;
  /** Lower-cased name and SKUs, for the list's `search` filter. */
  search_text: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  /** Incremented by every write, for optimistic locking. */
  version: number;
}

/** What requests may set; identity, derived and bookkeeping fields are the hub's. */
export type ProductChanges = Partial<
  Omit<ProductRecord, "ecommerce_product_id" | "storefront_id" | "currency" | "external_product_id" | "variant_count" | "search_text" | "created_at" | "updated_at" | "version">
>;

/** Converts validated request fields into stored values (amounts into minor units of `currency`). */
export function toProductChanges(input: ProductFieldsInput, currency: string, root = "body"): ProductChanges {
  return withMinorUnits(input, currency, root) as ProductChanges;
}

export const searchTextOf = (product: Pick<ProductRecord, "product_name" | "external_sku" | "erp_sku">): string =>
  [product.product_name, product.external_sku, product.erp_sku].filter(Boolean).join("\n").toLowerCase();

export interface NewProduct {
  ecommerce_product_id: number;
  storefront_id: number;
  currency: string;
  external_product_id: string;
  product_name: string;
  price_minor: number;
}

export function newProductRecord(identity: NewProduct, changes: ProductChanges, now: string, platformUpdatedAt?: string): ProductRecord {
  const record: ProductRecord = {
    external_sku: null,
    erp_product_id: null,
    erp_sku: null,
    product_slug: null,
    short_description: null,
    long_description: null,
    compare_at_price_minor: null,
    cost_per_item_minor: null,
    inventory_quantity: 0,
    inventory_tracked: true,
    allow_backorder: false,
    low_stock_threshold: DEFAULT_LOW_STOCK_THRESHOLD,
    weight: null,
    length: null,
    width: null,
    height: null,
    weight_unit: "kg",
    dimension_unit: "cm",
    featured_image_url: null,
    image_urls: [],
    meta_title: null,
    meta_description: null,
    meta_keywords: null,
    is_published: false,
    is_featured: false,
    is_on_sale: false,
    published_at: null,
    sync_direction: "both",
    sync_status: "pending",
    last_synced_at: null,
    tags: [],
    custom_fields: {},
    external_metadata: {},
    ecommerce_category_id: null,
    created_by: null,
    ...identity,
    ...definedOnly(changes),
    variant_count: 0,
    platform_updated_at: platformUpdatedAt ?? null,
    search_text: "",
    created_at: now,
    updated_at: now,
    version: 1,
  };
  if (record.is_published && record.published_at === null) record.published_at = now;
  record.search_text = searchTextOf(record);
  return record;
}

export interface MergedProduct {
  next: ProductRecord;
  /** The stored attributes that differ from the current record; empty when the request changes nothing. */
  changedFields: (keyof ProductRecord)[];
}

/**
 * A product with variants has the sum of their quantities as its inventory:
 * a request may repeat that sum but not change it.
 */
export function assertInventoryEditable(current: ProductRecord, changes: ProductChanges): void {
  if (current.variant_count === 0 || changes.inventory_quantity === undefined || changes.inventory_quantity === current.inventory_quantity) return;
  throw new ConflictError(
    "inventory_managed_by_variants",
    `Product ${current.ecommerce_product_id} has ${current.variant_count} variants; its inventory_quantity is the sum of theirs (${current.inventory_quantity}): change the variants instead`,
    [{ field: "body.inventory_quantity", message: "is the sum of the variants' quantities" }],
  );
}

/**
 * Applies a request's changes to the stored product. A request that repeats
 * the stored data yields no changed field, and therefore no write.
 */
export function mergeProduct(current: ProductRecord, changes: ProductChanges, now: string, platformUpdatedAt?: string): MergedProduct {
  const { created_by: _creatorIsFixed, ...updatable } = definedOnly(changes);
  const next: ProductRecord = { ...current, ...updatable };
  if (platformUpdatedAt) next.platform_updated_at = platformUpdatedAt;
  if (next.is_published && !current.is_published && updatable.published_at === undefined) next.published_at = now;
  next.search_text = searchTextOf(next);
  const changedFields = changedFieldsOf(current, next);
  if (changedFields.length > 0) {
    next.updated_at = now;
    next.version = current.version + 1;
  }
  return { next, changedFields };
}

/** Whether a platform update is older than (or as old as) the data already applied. */
export function isStaleUpdate(stored: string | null, incoming: string | undefined): boolean {
  return Boolean(stored && incoming && incoming <= stored);
}

const PRODUCT_VIEW_FIELDS = Object.keys(productViewSchema.entries);

/** The API's view: amounts as decimal strings, the stock status derived, internal fields left out. */
export function productView(product: ProductRecord) {
  const { price_minor, compare_at_price_minor, cost_per_item_minor, search_text: _internal, version: _lock, ...fields } = product;
  return inOrder(PRODUCT_VIEW_FIELDS, {
    ...fields,
    price: formatMinorUnits(price_minor, product.currency),
    compare_at_price: amountText(compare_at_price_minor, product.currency),
    cost_per_item: amountText(cost_per_item_minor, product.currency),
    stock_status: stockStatus(product),
  });
}
export type ProductView = ReturnType<typeof productView>;
