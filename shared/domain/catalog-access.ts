/**
 * Rules every catalog route shares: a key limited to some storefronts touches
 * only those, and a storefront or category named in a request must exist.
 */
import { ForbiddenError, ValidationError } from "../http/errors";
import { getStorefront, type StorefrontItem } from "../data/storefronts";
import { getCategory } from "../data/categories";
import { canAccessStorefront, type Principal } from "./roles";

export function requireStorefrontAccess(principal: Principal, storefrontId: number): void {
  if (!canAccessStorefront(principal, storefrontId)) throw new ForbiddenError(`This API key may not access storefront ${storefrontId}`);
}

export const unknownStorefront = (field: string, storefrontId: number): ValidationError =>
  new ValidationError([{ field, message: `is not a known storefront (${storefrontId})` }]);

/** The storefront a request names in `field`, checked for access first so that its existence is not revealed to others. */
export async function requireKnownStorefront(principal: Principal, storefrontId: number, field: string): Promise<StorefrontItem> {
  requireStorefrontAccess(principal, storefrontId);
  const storefront = await getStorefront(storefrontId);
  if (!storefront) throw unknownStorefront(field, storefrontId);
  return storefront;
}

/** A product may only be filed under a category of its own storefront. */
export async function requireCategoryOf(storefrontId: number, categoryId: number, field: string): Promise<void> {
  const category = await getCategory(categoryId);
  if (category?.storefront_id !== storefrontId) {
    throw new ValidationError([{ field, message: `is not a category of storefront ${storefrontId} (${categoryId})` }]);
  }
}
