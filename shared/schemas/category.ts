import * as v from "valibot";
import { externalId, idParam, intParam, optionalText, positiveId, text } from "./common";
import { defineOperation } from "../api/operation";

export const CATEGORY_SYNC_STATUSES = ["pending", "synced", "error"] as const;

/** Every field a request may change on a category; `null` clears an optional one. */
const categoryFields = {
  external_parent_id: v.optional(v.nullable(externalId)),
  category_name: text(255, 1),
  category_slug: optionalText(255),
  erp_category_id: v.optional(v.nullable(positiveId)),
  sync_status: v.picklist(CATEGORY_SYNC_STATUSES, `must be one of ${CATEGORY_SYNC_STATUSES.join(", ")}`),
};

export const createCategoryBody = v.object({
  ...categoryFields,
  storefront_id: positiveId,
  external_category_id: externalId,
  sync_status: v.optional(categoryFields.sync_status, "pending"),
  created_by: v.optional(v.nullable(positiveId)),
});
export type CreateCategoryInput = v.InferOutput<typeof createCategoryBody>;

export const updateCategoryBody = v.pipe(
  v.partial(v.object(categoryFields)),
  v.check((body) => Object.keys(body).length > 0, "must change at least one field"),
);
export type UpdateCategoryInput = v.InferOutput<typeof updateCategoryBody>;

export const categoryParams = v.object({ id: idParam });

export const listCategoriesQuery = v.object({
  storefront_id: idParam,
  limit: v.optional(intParam(1, 200), "100"),
  cursor: v.optional(v.string()),
});

const nullableText = v.nullable(v.string());

export const categoryView = v.object({
  ecommerce_category_id: v.number(),
  storefront_id: v.number(),
  external_category_id: v.string(),
  external_parent_id: nullableText,
  category_name: v.string(),
  category_slug: nullableText,
  category_path: v.pipe(
    v.string(),
    v.description('Names from the root, such as "Electronics > Laptops"; a category whose parent has not arrived yet has its own name only'),
  ),
  erp_category_id: v.nullable(v.number()),
  sync_status: v.picklist(CATEGORY_SYNC_STATUSES),
  product_count: v.pipe(v.number(), v.description("Products in this category, kept by a stream processor (follows writes within a second or so)")),
  created_by: v.nullable(v.number()),
  created_at: v.string(),
  updated_at: v.string(),
});

const categoryResponse = v.object({ message: v.optional(v.string()), category: categoryView });

const tags = ["Categories"];
const itemPath = "/api/ecommerce/categories/{id}";

export const categoryOperations = {
  list: defineOperation({
    method: "GET", path: "/api/ecommerce/categories", tags, role: "viewer",
    summary: "List a storefront's categories in id order, with their paths and product counts",
    query: listCategoriesQuery,
    responses: { 200: { description: "Categories", schema: v.object({ categories: v.array(categoryView), next_cursor: v.nullable(v.string()) }) } },
  }),
  create: defineOperation({
    method: "POST", path: "/api/ecommerce/categories", tags, role: "operator",
    summary: "Create a category; its parent is found by external_parent_id in the same storefront (409 when external_category_id is taken)",
    body: createCategoryBody,
    responses: { 201: { description: "Created", schema: categoryResponse } },
  }),
  get: defineOperation({
    method: "GET", path: itemPath, tags, role: "viewer",
    summary: "Read a category",
    params: categoryParams,
    responses: { 200: { description: "The category", schema: categoryResponse } },
  }),
  update: defineOperation({
    method: "PUT", path: itemPath, tags, role: "operator",
    summary: "Rename, re-parent or re-map a category; its descendants' paths follow shortly after",
    params: categoryParams,
    body: updateCategoryBody,
    responses: { 200: { description: "Updated", schema: categoryResponse } },
  }),
  delete: defineOperation({
    method: "DELETE", path: itemPath, tags, role: "operator",
    summary: "Delete a category without child categories or products (409 otherwise)",
    params: categoryParams,
    responses: { 200: { description: "Deleted" } },
  }),
};
