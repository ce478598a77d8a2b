/**
 * A storefront category as the hub keeps it, and the pure rules of its
 * hierarchy: the path from the root ("Electronics > Laptops"), built from the
 * parent's path, and the limits that keep the tree finite.
 */
import { categoryView as categoryViewSchema, type CATEGORY_SYNC_STATUSES } from "../schemas/category";
import { inOrder } from "./record-fields";

export interface CategoryRecord {
  ecommerce_category_id: number;
  storefront_id: number;
  external_category_id: string;
  /** The platform's id of the parent; the parent may arrive after its children. */
  external_parent_id: string | null;
  category_name: string;
  category_slug: string | null;
  category_path: string;
  erp_category_id: number | null;
  sync_status: (typeof CATEGORY_SYNC_STATUSES)[number];
  created_by: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export const PATH_SEPARATOR = " > ";
/** Deeper trees are refused; it also bounds the walk up the ancestors. */
export const MAX_CATEGORY_DEPTH = 10;

/** The path of a category under a parent with `parentPath` (or at the root, or under a parent not known yet). */
export function categoryPath(parentPath: string | undefined, name: string): string {
  return parentPath ? `${parentPath}${PATH_SEPARATOR}${name}` : name;
}

export const pathDepth = (path: string): number => path.split(PATH_SEPARATOR).length;

/** A category link as the ancestor walk sees it. */
export interface CategoryLink {
  external_category_id: string;
  external_parent_id: string | null;
}

export type HierarchyProblem = "own_parent" | "cycle" | "too_deep";

/**
 * Checks that giving `externalId` the ancestors `chain` (its parent first,
 * then the parent's parent, as far as they are known) keeps the hierarchy a
 * tree no deeper than MAX_CATEGORY_DEPTH.
 */
export function hierarchyProblem(externalId: string, parentExternalId: string | null, chain: CategoryLink[]): HierarchyProblem | undefined {
  if (parentExternalId === null) return undefined;
  if (parentExternalId === externalId) return "own_parent";
  if (chain.some((ancestor) => ancestor.external_category_id === externalId || ancestor.external_parent_id === externalId)) return "cycle";
  if (chain.length + 1 > MAX_CATEGORY_DEPTH) return "too_deep";
  return undefined;
}

const CATEGORY_VIEW_FIELDS = Object.keys(categoryViewSchema.entries);

export function categoryView(category: CategoryRecord, productCount: number) {
  const { version: _lock, ...fields } = category;
  return inOrder(CATEGORY_VIEW_FIELDS, { ...fields, product_count: productCount });
}
export type CategoryView = ReturnType<typeof categoryView>;
