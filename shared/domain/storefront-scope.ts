/**
 * The storefronts a list request covers: the one it names, else every
 * storefront its key may read, in id order.
 */
import { batchGetItems } from "../data/batch";
import { getStorefront, listEveryStorefront, storefrontKey, type StorefrontItem } from "../data/storefronts";
import { requireStorefrontAccess, unknownStorefront } from "./catalog-access";
import type { Principal } from "./roles";

export async function storefrontsInScope(storefrontId: number | undefined, principal: Principal): Promise<StorefrontItem[]> {
  if (storefrontId !== undefined) {
    requireStorefrontAccess(principal, storefrontId);
    const storefront = await getStorefront(storefrontId);
    if (!storefront) throw unknownStorefront("query.storefront_id", storefrontId);
    return [storefront];
  }
  if (principal.storefrontIds !== null) {
    const items = await batchGetItems(principal.storefrontIds.map(storefrontKey));
    return [...items.values()].map((item) => item as unknown as StorefrontItem).sort((a, b) => a.storefront_id - b.storefront_id);
  }
  return listEveryStorefront();
}

/** The currency statistics over several storefronts are given in: the storefronts' default when they share one, else the first storefront's. */
export const statisticsCurrency = (scope: { default_currency: string }[]) => scope[0]?.default_currency ?? "USD";
