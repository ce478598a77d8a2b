import { BadRequestError, ConflictError, NotFoundError, ValidationError } from "../http/errors";
import { nextId } from "../data/sequence";
import { decodeCursor, encodeCursor } from "../data/cursor";
import {
  deleteCategoryRecords,
  getCategory,
  getCategoryByExternalId,
  getCategoryProductCounts,
  getCategoryWithCount,
  getChildCategoryIds,
  insertCategory,
  listStorefrontCategories,
  replaceCategory,
  setCategoryPath,
} from "../data/categories";
import type { CreateCategoryInput, UpdateCategoryInput } from "../schemas/category";
import { logger } from "../logger";
import { requireKnownStorefront, requireStorefrontAccess } from "./catalog-access";
import {
  MAX_CATEGORY_DEPTH,
  categoryPath,
  categoryView,
  hierarchyProblem,
  pathDepth,
  type CategoryRecord,
  type HierarchyProblem,
} from "./category-records";
import { changedFieldsOf, definedOnly } from "./record-fields";
import type { Principal } from "./roles";

const MAX_WRITE_ATTEMPTS = 5;

const concurrentUpdate = (id: number) => new ConflictError("concurrent_update", `Category ${id} kept changing while this request tried to write it; retry`);

const HIERARCHY_MESSAGES: Record<HierarchyProblem, string> = {
  own_parent: "must not be the category's own external_category_id",
  cycle: "would make the category its own ancestor",
  too_deep: `would nest categories more than ${MAX_CATEGORY_DEPTH} levels deep`,
};

/** The known ancestors of a category whose parent is `parentExternalId`, nearest first (the walk stops at one not known yet). */
async function ancestorsFrom(storefrontId: number, parentExternalId: string | null): Promise<CategoryRecord[]> {
  const chain: CategoryRecord[] = [];
  let externalId = parentExternalId;
  while (externalId !== null && chain.length <= MAX_CATEGORY_DEPTH) {
    const ancestor = await getCategoryByExternalId(storefrontId, externalId);
    if (!ancestor || chain.some((known) => known.ecommerce_category_id === ancestor.ecommerce_category_id)) break;
    chain.push(ancestor);
    externalId = ancestor.external_parent_id;
  }
  return chain;
}

/** The path of a category under its parent, after checking the parent keeps the hierarchy a tree. */
async function pathUnderParent(category: Pick<CategoryRecord, "storefront_id" | "external_category_id" | "external_parent_id" | "category_name">): Promise<string> {
  const chain = await ancestorsFrom(category.storefront_id, category.external_parent_id);
  const problem = hierarchyProblem(category.external_category_id, category.external_parent_id, chain);
  if (problem) throw new ValidationError([{ field: "body.external_parent_id", message: HIERARCHY_MESSAGES[problem] }]);
  return categoryPath(chain[0]?.category_path, category.category_name);
}

export async function createCategory(input: CreateCategoryInput, principal: Principal) {
  await requireKnownStorefront(principal, input.storefront_id, "body.storefront_id");
  const now = new Date().toISOString();
  const fields = {
    storefront_id: input.storefront_id,
    external_category_id: input.external_category_id,
    external_parent_id: input.external_parent_id ?? null,
    category_name: input.category_name,
  };
  const category: CategoryRecord = {
    ...fields,
    ecommerce_category_id: 0,
    category_slug: input.category_slug ?? null,
    category_path: await pathUnderParent(fields),
    erp_category_id: input.erp_category_id ?? null,
    sync_status: input.sync_status,
    created_by: input.created_by ?? null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  category.ecommerce_category_id = await nextId("category");
  if ((await insertCategory(category)) === "duplicate") {
    throw new ConflictError("duplicate_external_category_id", `Storefront ${input.storefront_id} already has a category with external_category_id ${input.external_category_id}`, [
      { field: "body.external_category_id", message: "is already used by another category of this storefront" },
    ]);
  }
  return categoryView(category, 0);
}

async function accessibleCategory(id: number, principal: Principal): Promise<{ category: CategoryRecord; productCount: number }> {
  const found = await getCategoryWithCount(id);
  if (!found) throw new NotFoundError("Category", id);
  requireStorefrontAccess(principal, found.category.storefront_id);
  return found;
}

export async function readCategory(id: number, principal: Principal) {
  const { category, productCount } = await accessibleCategory(id, principal);
  return categoryView(category, productCount);
}

/**
 * Renames, re-parents or re-maps a category. Its own path is written with it;
 * its descendants' paths follow through the category-paths stream processor.
 */
export async function updateCategory(id: number, input: UpdateCategoryInput, principal: Principal) {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const { category: current, productCount } = await accessibleCategory(id, principal);
    const next: CategoryRecord = { ...current, ...definedOnly(input) };
    if (next.external_parent_id !== current.external_parent_id || next.category_name !== current.category_name) {
      next.category_path = await pathUnderParent(next);
    }
    if (changedFieldsOf(current, next).length === 0) return categoryView(current, productCount);
    next.updated_at = new Date().toISOString();
    next.version = current.version + 1;
    if (await replaceCategory(current, next)) return categoryView(next, productCount);
  }
  throw concurrentUpdate(id);
}

/** Deletes a category without child categories or products. */
export async function deleteCategory(id: number, principal: Principal): Promise<void> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const { category } = await accessibleCategory(id, principal);
    if ((await getChildCategoryIds(category.storefront_id, category.external_category_id, 1)).length > 0) {
      throw new ConflictError("category_has_children", `Category ${id} has child categories; delete or move them first`);
    }
    const outcome = await deleteCategoryRecords(category);
    if (outcome === "deleted") return;
    if (outcome === "has_products") throw new ConflictError("category_in_use", `Category ${id} still has products; move them to another category first`);
  }
  throw concurrentUpdate(id);
}

export async function listCategories(query: { storefront_id: number; limit: number; cursor?: string }, principal: Principal) {
  await requireKnownStorefront(principal, query.storefront_id, "query.storefront_id");
  const after = decodeCursor(query.cursor)?.after;
  if (after !== undefined && !Number.isInteger(after)) {
    throw new BadRequestError("invalid_cursor", "The cursor is not one this API returned", [{ field: "query.cursor", message: "is not a valid cursor" }]);
  }
  const { categories, hasMore } = await listStorefrontCategories(query.storefront_id, query.limit, after as number | undefined);
  const counts = await getCategoryProductCounts(categories.map((category) => category.ecommerce_category_id));
  return {
    categories: categories.map((category) => categoryView(category, counts.get(category.ecommerce_category_id)!)),
    next_cursor: hasMore ? encodeCursor({ after: categories.at(-1)!.ecommerce_category_id }) : null,
  };
}

/**
 * Brings a category's path in line with its parent's current path; true when
 * it changed. Reading the current items rather than a stream image makes it
 * safe to repeat and to run out of order.
 */
export async function refreshCategoryPath(id: number): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const category = await getCategory(id);
    if (!category) return false;
    const parent = category.external_parent_id ? await getCategoryByExternalId(category.storefront_id, category.external_parent_id) : undefined;
    const path = categoryPath(parent?.category_path, category.category_name);
    if (path === category.category_path) return false;
    if (pathDepth(path) > MAX_CATEGORY_DEPTH) {
      // Only a cycle made by concurrent re-parenting gets here: stop rather than grow the path forever.
      logger.warn("category path would exceed the maximum depth; left unchanged", { categoryId: id, depth: pathDepth(path) });
      return false;
    }
    if (await setCategoryPath(id, path, category.version, new Date().toISOString())) return true;
  }
  throw concurrentUpdate(id);
}

/** Refreshes the paths of the categories whose parent is the category with `externalId`. */
export async function refreshChildPaths(storefrontId: number, externalId: string): Promise<void> {
  for (const childId of await getChildCategoryIds(storefrontId, externalId)) await refreshCategoryPath(childId);
}
