/** What a platform sync pulls, and where each kind keeps its storefront's cursor and switch. */
import type { StorefrontItem } from "../data/storefronts";

export const SYNC_KINDS = ["products", "orders", "customers"] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export type SyncCursorField = "last_product_sync_at" | "last_order_sync_at" | "last_customer_sync_at";
type SyncSwitch = "auto_sync_products" | "auto_sync_orders" | "auto_sync_customers";

export const SYNC_CURSOR_FIELD: Record<SyncKind, SyncCursorField> = {
  products: "last_product_sync_at",
  orders: "last_order_sync_at",
  customers: "last_customer_sync_at",
};

const SYNC_SWITCH: Record<SyncKind, SyncSwitch> = {
  products: "auto_sync_products",
  orders: "auto_sync_orders",
  customers: "auto_sync_customers",
};

/** Changes are pulled from this long before the cursor: a platform's clock and its indexing lag behind ours. */
export const SYNC_OVERLAP_MS = 10 * 60_000;

export const enabledKinds = (storefront: StorefrontItem): SyncKind[] => SYNC_KINDS.filter((kind) => storefront[SYNC_SWITCH[kind]]);

/** Where a run pulls from: the cursor less the overlap window, or everything when the kind never synced. */
export function pullSince(cursor: string | null): string | null {
  if (cursor === null) return null;
  return new Date(Date.parse(cursor) - SYNC_OVERLAP_MS).toISOString();
}

/** Due when it never ran, or when sync_frequency_minutes have passed since its cursor. */
export function isDue(storefront: StorefrontItem, kind: SyncKind, now: Date): boolean {
  const cursor = storefront[SYNC_CURSOR_FIELD[kind]];
  return cursor === null || now.getTime() - Date.parse(cursor) >= storefront.sync_frequency_minutes * 60_000;
}

/**
 * Why a run pulls: "sync" from the kind's cursor (less the overlap), or
 * "reconciliation", the daily pull of the orders updated in the last
 * ORDER_RECONCILIATION_WINDOW_MS whatever the cursor says, which catches the
 * changes webhooks and incremental runs missed (a platform indexing an
 * update late, a delivery lost). A reconciliation never moves the cursor.
 */
export const SYNC_REASONS = ["sync", "reconciliation"] as const;
export type SyncReason = (typeof SYNC_REASONS)[number];

export const ORDER_RECONCILIATION_WINDOW_MS = 48 * 3_600_000;
/** At most one reconciliation a day per storefront: the next is due this long after the last. */
export const ORDER_RECONCILIATION_INTERVAL_MS = 24 * 3_600_000;

/** Where a reconciliation asked for at `requestedAt` pulls from. */
export const reconciliationSince = (requestedAt: string) => new Date(Date.parse(requestedAt) - ORDER_RECONCILIATION_WINDOW_MS).toISOString();

/**
 * Due for a storefront that syncs its orders and has synced them once (a
 * full sync reconciles everything, and marks itself as the last
 * reconciliation), once a day.
 */
export function isReconciliationDue(storefront: StorefrontItem, now: Date): boolean {
  if (!storefront.auto_sync_orders || storefront.last_order_sync_at === null) return false;
  const last = storefront.last_order_reconciliation_at;
  return last === undefined || last === null || now.getTime() - Date.parse(last) >= ORDER_RECONCILIATION_INTERVAL_MS;
}
