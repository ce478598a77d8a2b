/**
 * Listings: the places a SKU of the ERP is sold. A product without variants
 * lists its `erp_sku` (or, without one, its `external_sku`); a variant lists
 * its `sku`. Only tracked stock is listed: an untracked item has no quantity
 * to keep in step.
 *
 * Every write that changes a listing's quantity says what the number means
 * in `stock_origin`:
 * - absent: the hub moved its stock (an order's fulfilment or restock): the
 *   ERP quantity moves by as much;
 * - "set": the hub was told the quantity (the API, an explicit store_to_erp
 *   sync): it becomes the ERP quantity;
 * - "platform": a platform's report (a webhook, a scheduled pull), which the
 *   ERP does not take: the ERP quantity is the truth, and the platform's own
 *   sales reach it as orders;
 * - "erp": the ERP quantity copied onto the listing by the propagation.
 * A new listing takes the SKU's ERP quantity, or opens it with its own.
 */
export type StockOrigin = "set" | "platform" | "erp";

export interface Listing {
  sku: string;
  quantity: number;
  origin: StockOrigin | null;
  /** Counts the hub's own changes of its stock (`stock_seq`): the push knows from it whether the ERP has them all. */
  seq: number;
}

type Image = Record<string, unknown>;

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

export const isVariantImage = (image: Image) => String(image.sk).startsWith("VARIANT#");

/** The SKU an item lists, if it is a listing: tracked, and a product only while it has no variants. */
export function skuListedBy(image: Image | undefined): string | undefined {
  if (!image || image.inventory_tracked === false) return undefined;
  if (isVariantImage(image)) return text(image.sku);
  if (Number(image.variant_count ?? 0) > 0) return undefined;
  return text(image.erp_sku) ?? text(image.external_sku);
}

export function listingOf(image: Image | undefined): Listing | undefined {
  const sku = skuListedBy(image);
  if (sku === undefined) return undefined;
  const origin = image!.stock_origin;
  return {
    sku,
    quantity: Number(image!.inventory_quantity ?? 0),
    origin: origin === "set" || origin === "platform" || origin === "erp" ? origin : null,
    seq: Number(image!.stock_seq ?? 0),
  };
}

/** Where a listing is: its product, and its variant if it is one. */
export interface ListingRef {
  productId: number;
  variantId: number | null;
}

export const listingRefOf = (image: Image): ListingRef => ({
  productId: Number(image.ecommerce_product_id),
  variantId: isVariantImage(image) ? Number(image.variant_id) : null,
});

/**
 * What one write of a product or variant means for the ERP stock:
 * - "unlisted": it stopped listing `sku` (deleted, SKU changed or cleared, untracked);
 * - "listed": it started listing `sku` (created, SKU set or changed): it takes the ERP quantity, or gives the first one;
 * - "moved": the hub moved its stock by `delta`, and the ERP quantity with it;
 * - "set": the hub was told the quantity, which becomes the ERP quantity;
 * - "reported": a platform reported its level: the ERP keeps its quantity, and
 *   remembers the number the platform shows (a new listing reports it too);
 * several at once when a write both drops an old SKU and lists a new one.
 */
export type ListingChange =
  | { kind: "unlisted"; sku: string }
  | { kind: "listed"; sku: string; quantity: number; reported: boolean; seq: number }
  | { kind: "moved"; sku: string; delta: number; seq: number }
  | { kind: "set"; sku: string; quantity: number; seq: number }
  | { kind: "reported"; sku: string; quantity: number };

export function listingChangesOf(before: Image | undefined, after: Image | undefined): ListingChange[] {
  const [was, now] = [listingOf(before), listingOf(after)];
  if (was && now && was.sku === now.sku) {
    const delta = now.quantity - was.quantity;
    // Told the number it had already as a platform's report: now it is the ERP's too.
    if (now.origin === "set" && (delta !== 0 || was.origin !== "set")) return [{ kind: "set", sku: now.sku, quantity: now.quantity, seq: now.seq }];
    if (delta !== 0 && now.origin === "platform") return [{ kind: "reported", sku: now.sku, quantity: now.quantity }];
    // The ERP's own number copied back: not a change of stock.
    if (delta === 0 || now.origin !== null) return [];
    return [{ kind: "moved", sku: now.sku, delta, seq: now.seq }];
  }
  const changes: ListingChange[] = [];
  if (was) changes.push({ kind: "unlisted", sku: was.sku });
  if (now) changes.push({ kind: "listed", sku: now.sku, quantity: now.quantity, reported: now.origin === "platform", seq: now.seq });
  return changes;
}
