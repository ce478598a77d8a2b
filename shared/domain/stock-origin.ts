/**
 * Each write that changes a product's or variant's quantity records what the
 * number means (see shared/stock/listing.ts): told by the hub's caller, it
 * becomes the ERP quantity of its SKU; reported by a platform, it does not.
 */
import type { StockOrigin } from "../stock/listing";
import type { Principal } from "./roles";

interface WithStock {
  inventory_quantity: number;
  stock_origin?: StockOrigin | null;
  stock_seq?: number;
  updated_at: string;
  version: number;
}

/**
 * Sets `stock_origin` on the record a write makes of `current`, and lists it
 * among the changed fields, when the write changes the quantity, or when the
 * hub's caller gives the quantity a platform reported last (making it the ERP's).
 */
export function recordStockOrigin<T extends WithStock>(
  current: T,
  merged: { next: T; changedFields: (keyof T)[] },
  givenQuantity: number | undefined,
  principal: Principal,
  now: string,
): void {
  const { next, changedFields } = merged;
  if (givenQuantity === undefined) return;
  const origin: StockOrigin = principal.relaysPlatform ? "platform" : "set";
  const changes = changedFields.includes("inventory_quantity");
  if (!changes && (origin === "platform" || current.stock_origin !== "platform")) return;
  if (changedFields.length === 0) {
    next.updated_at = now;
    next.version = current.version + 1;
  }
  next.stock_origin = origin;
  if (!changedFields.includes("stock_origin")) changedFields.push("stock_origin");
  // A change of the hub's own, on its way to the ERP quantity (shared/stock/listing.ts).
  if (origin === "set") {
    next.stock_seq = (current.stock_seq ?? 0) + 1;
    if (!changedFields.includes("stock_seq")) changedFields.push("stock_seq");
  }
}

/** What a new product or variant records of its quantity's origin: a platform's report, or (nothing) the hub's. */
export const originOfNewStock = (principal: Principal): { stock_origin?: StockOrigin } => (principal.relaysPlatform ? { stock_origin: "platform" } : {});
