import * as v from "valibot";
import {
  amount,
  booleanParam,
  externalId,
  idParam,
  jsonObject,
  MAX_PAGE_DEPTH,
  optionalText,
  platformTimestamp,
  positiveId,
  quantity,
  text,
  url,
} from "./common";
import { pagedListQuery } from "./list-query";
import { defineOperation } from "../api/operation";

export const SYNC_STATUSES = ["pending", "synced", "error", "conflict"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
export const SYNC_DIRECTIONS = ["erp_to_store", "store_to_erp", "both"] as const;
export const WEIGHT_UNITS = ["kg", "g", "lb", "oz"] as const;
export const DIMENSION_UNITS = ["cm", "mm", "m", "in", "ft"] as const;

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => v.picklist(values, `must be one of ${values.join(", ")}`);

/** A weight or a length. */
const measure = v.pipe(v.number("must be a number"), v.minValue(0, "must not be negative"), v.maxValue(1_000_000, "must be at most 1000000"));

const list = <S extends v.GenericSchema>(item: S, max: number, what: string) =>
  v.pipe(v.array(item, "must be an array"), v.maxLength(max, `must have at most ${max} ${what}`));

export const syncStatus = oneOf(SYNC_STATUSES);

/** Every field a request may set on a product; `null` clears an optional one. */
const productFields = {
  external_sku: optionalText(100),
  erp_product_id: v.optional(v.nullable(positiveId)),
  erp_sku: optionalText(100),
  product_name: text(500, 1),
  product_slug: optionalText(500),
  short_description: optionalText(2000),
  long_description: optionalText(65_536),
  price: amount,
  compare_at_price: v.optional(v.nullable(amount)),
  cost_per_item: v.optional(v.nullable(amount)),
  inventory_quantity: quantity,
  inventory_tracked: v.boolean("must be true or false"),
  allow_backorder: v.boolean("must be true or false"),
  low_stock_threshold: quantity,
  weight: v.optional(v.nullable(measure)),
  length: v.optional(v.nullable(measure)),
  width: v.optional(v.nullable(measure)),
  height: v.optional(v.nullable(measure)),
  weight_unit: oneOf(WEIGHT_UNITS),
  dimension_unit: oneOf(DIMENSION_UNITS),
  featured_image_url: v.optional(v.nullable(url)),
  image_urls: list(url, 50, "images"),
  meta_title: optionalText(255),
  meta_description: optionalText(1000),
  meta_keywords: optionalText(1000),
  is_published: v.boolean("must be true or false"),
  is_featured: v.boolean("must be true or false"),
  is_on_sale: v.boolean("must be true or false"),
  published_at: v.optional(v.nullable(platformTimestamp)),
  sync_direction: oneOf(SYNC_DIRECTIONS),
  sync_status: syncStatus,
  last_synced_at: v.optional(v.nullable(platformTimestamp)),
  tags: list(text(100, 1), 100, "tags"),
  custom_fields: jsonObject,
  external_metadata: jsonObject,
  ecommerce_category_id: v.optional(v.nullable(positiveId)),
  created_by: v.optional(v.nullable(positiveId)),
};

/** The fields a product request may carry, after validation: money still as decimal text. */
export type ProductFieldsInput = Partial<v.InferOutput<v.ObjectSchema<typeof productFields, undefined>>>;

/**
 * The upsert from a storefront: identified by (storefront_id, external_product_id).
 * Fields left out keep their stored value on an update and their default on a create.
 */
export const upsertProductBody = v.object({
  ...v.partial(v.object(productFields)).entries,
  storefront_id: positiveId,
  external_product_id: externalId,
  product_name: productFields.product_name,
  price: productFields.price,
  updated_at: v.optional(
    v.pipe(platformTimestamp, v.description("The platform's own last-modified time; an update older than the stored one is not applied")),
  ),
});
export type UpsertProductInput = v.InferOutput<typeof upsertProductBody>;

export const updateProductBody = v.pipe(
  v.partial(v.object(productFields)),
  v.check((body) => Object.keys(body).length > 0, "must change at least one field"),
);
export type UpdateProductInput = v.InferOutput<typeof updateProductBody>;

export const productParams = v.object({ id: idParam });

export const listProductsQuery = pagedListQuery({
  storefront_id: v.optional(idParam),
  sync_status: v.optional(syncStatus),
  is_published: v.optional(booleanParam),
  category_id: v.optional(idParam),
  search: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(100, "must have at most 100 characters"))),
});
export type ListProductsQuery = v.InferOutput<typeof listProductsQuery>;

const money = v.pipe(v.string(), v.description("Decimal amount in the product's currency"));
const nullableText = v.nullable(v.string());

/** What the API returns for a product. */
export const productView = v.object({
  ecommerce_product_id: v.number(),
  storefront_id: v.number(),
  external_product_id: v.string(),
  external_sku: nullableText,
  erp_product_id: v.nullable(v.number()),
  erp_sku: nullableText,
  product_name: v.string(),
  product_slug: nullableText,
  short_description: nullableText,
  long_description: nullableText,
  currency: v.string(),
  price: money,
  compare_at_price: v.nullable(money),
  cost_per_item: v.nullable(money),
  inventory_quantity: v.pipe(v.number(), v.description("For a product with variants, the sum of its variants' quantities")),
  inventory_tracked: v.boolean(),
  allow_backorder: v.boolean(),
  low_stock_threshold: v.number(),
  stock_status: v.picklist(["in_stock", "low_stock", "out_of_stock"]),
  weight: v.nullable(v.number()),
  length: v.nullable(v.number()),
  width: v.nullable(v.number()),
  height: v.nullable(v.number()),
  weight_unit: v.string(),
  dimension_unit: v.string(),
  featured_image_url: nullableText,
  image_urls: v.array(v.string()),
  meta_title: nullableText,
  meta_description: nullableText,
  meta_keywords: nullableText,
  is_published: v.boolean(),
  is_featured: v.boolean(),
  is_on_sale: v.boolean(),
  published_at: nullableText,
  sync_direction: v.picklist(SYNC_DIRECTIONS),
  sync_status: v.picklist(SYNC_STATUSES),
  last_synced_at: nullableText,
  tags: v.array(v.string()),
  custom_fields: v.record(v.string(), v.unknown()),
  external_metadata: v.record(v.string(), v.unknown()),
  ecommerce_category_id: v.nullable(v.number()),
  variant_count: v.number(),
  platform_updated_at: nullableText,
  created_by: v.nullable(v.number()),
  created_at: v.string(),
  updated_at: v.string(),
});

export const catalogStatisticsView = v.object({
  total_products: v.number(),
  synced_count: v.number(),
  pending_count: v.number(),
  error_count: v.number(),
  conflict_count: v.number(),
  published_count: v.number(),
  total_inventory: v.number(),
  low_stock_count: v.number(),
  out_of_stock_count: v.number(),
});

const productListResponse = v.object({
  products: v.array(v.object({ ...productView.entries, storefront_name: v.string(), order_count: v.number() })),
  pagination: v.object({
    page: v.pipe(v.nullable(v.number()), v.description("null when paging by cursor")),
    limit: v.number(),
    total: v.pipe(v.nullable(v.number()), v.description("Products matching the filters; null when the filters combine search or several filters, which no counter covers")),
    totalPages: v.nullable(v.number()),
  }),
  next_cursor: v.nullable(v.string()),
  statistics: v.pipe(catalogStatisticsView, v.description("Counters over the storefronts in scope (storefront_id, or every storefront the key may read); other filters do not apply")),
});

const variantSummary = v.object({
  variant_id: v.number(),
  variant_name: v.string(),
  price: money,
  inventory_quantity: v.number(),
});

const productDetailsResponse = v.object({
  ...productView.entries,
  storefront_name: v.string(),
  variants: v.array(v.looseObject(variantSummary.entries)),
  total_orders: v.number(),
  total_quantity_sold: v.number(),
});

const upsertResponse = v.object({
  message: v.string(),
  product: productView,
  action: v.picklist(["created", "updated"]),
  changed: v.pipe(v.boolean(), v.description("false when the request matched the stored product (a replay) or was stale")),
  stale: v.pipe(v.boolean(), v.description("true when the request's updated_at is not newer than the stored one: nothing was written")),
});

const tags = ["Products"];
const itemPath = "/api/ecommerce/products/{id}";

export const productOperations = {
  list: defineOperation({
    method: "GET", path: "/api/ecommerce/products", tags, role: "viewer",
    summary:
      `List products with filters and catalog statistics; page with next_cursor (page=N is kept for compatibility and limited to page × limit <= ${MAX_PAGE_DEPTH})`,
    query: listProductsQuery,
    responses: { 200: { description: "Products", schema: productListResponse } },
  }),
  upsert: defineOperation({
    method: "POST", path: "/api/ecommerce/products", tags, role: "operator",
    summary: "Create or update a product by (storefront_id, external_product_id); replays change nothing and stale updates are not applied",
    body: upsertProductBody,
    responses: {
      201: { description: "Created", schema: upsertResponse },
      200: { description: "Updated, unchanged (replay) or stale", schema: upsertResponse },
    },
  }),
  get: defineOperation({
    method: "GET", path: itemPath, tags, role: "viewer",
    summary: "Read a product with its variants and sales totals",
    params: productParams,
    responses: { 200: { description: "The product", schema: productDetailsResponse } },
  }),
  update: defineOperation({
    method: "PUT", path: itemPath, tags, role: "operator",
    summary: "Change a product's fields; null clears an optional field",
    params: productParams,
    body: updateProductBody,
    responses: { 200: { description: "Updated", schema: v.object({ message: v.string(), product: productView }) } },
  }),
  delete: defineOperation({
    method: "DELETE", path: itemPath, tags, role: "operator",
    summary: "Delete a product and its variants (409 product_has_orders when it has orders)",
    params: productParams,
    responses: { 200: { description: "Deleted" } },
  }),
};
