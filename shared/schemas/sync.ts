import * as v from "valibot";
import { externalId, intParam, idParam, positiveId, quantity } from "./common";
import { storefrontRefParams } from "./storefront";
import { defineOperation } from "../api/operation";
import { SYNC_KINDS, SYNC_REASONS } from "../sync/kinds";
import { SYNC_RUN_STATUSES } from "../data/sync-runs";

const syncKind = v.picklist(SYNC_KINDS, `must be one of ${SYNC_KINDS.join(", ")}`);

export const listSyncRunsQuery = v.object({
  storefront_id: v.optional(idParam),
  kind: v.optional(syncKind),
  status: v.optional(v.picklist(SYNC_RUN_STATUSES, `must be one of ${SYNC_RUN_STATUSES.join(", ")}`)),
  reason: v.optional(v.picklist(SYNC_REASONS, `must be one of ${SYNC_REASONS.join(", ")}`)),
  limit: v.optional(intParam(1, 200), "50"),
  cursor: v.optional(v.string()),
});
export type ListSyncRunsQuery = v.InferOutput<typeof listSyncRunsQuery>;

/** Optional: a request without a body syncs every enabled kind. */
export const requestSyncBody = v.object({
  kinds: v.optional(
    v.pipe(v.array(syncKind, "must be a list of sync kinds"), v.minLength(1, "must name at least one kind"), v.maxLength(SYNC_KINDS.length, `must have at most ${SYNC_KINDS.length} kinds`)),
  ),
});
export type RequestSyncInput = v.InferOutput<typeof requestSyncBody>;

const syncRunView = v.object({
  run_id: v.string(),
  storefront_id: v.number(),
  kind: v.picklist(SYNC_KINDS),
  source: v.picklist(["schedule", "api"]),
  reason: v.pipe(
    v.picklist(SYNC_REASONS),
    v.description("sync: the changes since the storefront's cursor; reconciliation: the daily pull of the orders updated in the last 48 hours, whatever the cursor (it does not move the cursor)"),
  ),
  status: v.picklist(SYNC_RUN_STATUSES),
  requested_at: v.pipe(v.string(), v.description("When the run was asked for: the storefront's cursor moves here once it succeeds")),
  since: v.pipe(v.nullable(v.string()), v.description("Changes pulled from here (the cursor less a 10-minute overlap, or 48 hours before requested_at for a reconciliation); null for a full sync")),
  started_at: v.nullable(v.string()),
  finished_at: v.nullable(v.string()),
  attempts: v.number(),
  items_seen: v.number(),
  created: v.number(),
  updated: v.number(),
  unchanged: v.number(),
  failed: v.pipe(v.number(), v.description("Items the hub refused (invalid data); listed in errors, at most 20")),
  errors: v.array(v.string()),
  last_error: v.nullable(v.string()),
});

export const INVENTORY_DIRECTIONS = ["erp_to_store", "store_to_erp"] as const;
export type InventoryDirection = (typeof INVENTORY_DIRECTIONS)[number];

/** Most products one request names. */
export const MAX_PRODUCT_UPDATES = 500;

const productUpdate = v.pipe(
  v.object({
    ecommerce_product_id: v.optional(positiveId),
    external_product_id: v.optional(externalId),
    inventory_quantity: v.optional(v.pipe(quantity, v.description("erp_to_store: set on the hub first, then pushed"))),
  }),
  v.check((update) => update.ecommerce_product_id !== undefined || update.external_product_id !== undefined, "must name ecommerce_product_id or external_product_id"),
);

const direction = v.optional(v.picklist(INVENTORY_DIRECTIONS, `must be one of ${INVENTORY_DIRECTIONS.join(", ")}`), "erp_to_store");

/** The seed's two forms: every product of the storefront, or some products. */
export const inventorySyncBody = v.union(
  [
    v.object({ storefront_id: positiveId, direction, sync_all: v.literal(true, "must be true") }),
    v.pipe(
      v.object({
        storefront_id: positiveId,
        direction,
        product_updates: v.pipe(v.array(productUpdate, "must be a list of products"), v.minLength(1, "must name at least one product"), v.maxLength(MAX_PRODUCT_UPDATES, `must name at most ${MAX_PRODUCT_UPDATES} products`)),
      }),
      v.check(
        (body) => body.direction === "erp_to_store" || body.product_updates.every((update) => update.inventory_quantity === undefined),
        "inventory_quantity applies to erp_to_store only: store_to_erp takes the platform's quantities",
      ),
    ),
  ],
  "must hold storefront_id with sync_all: true, or storefront_id with product_updates",
);
export type InventorySyncInput = v.InferOutput<typeof inventorySyncBody>;

export const inventoryStatusQuery = v.object({
  storefront_id: v.optional(idParam),
  limit: v.optional(intParam(1, 500), "100"),
  cursor: v.optional(v.string()),
});
export type InventoryStatusQuery = v.InferOutput<typeof inventoryStatusQuery>;

const inventoryProductView = v.object({
  ecommerce_product_id: v.number(),
  storefront_id: v.number(),
  external_product_id: v.string(),
  product_name: v.string(),
  ecommerce_inventory: v.number(),
  low_stock_threshold: v.number(),
  stock_status: v.picklist(["in_stock", "low_stock", "out_of_stock"]),
  sync_status: v.string(),
  last_synced_at: v.nullable(v.string()),
});

const itemError = v.object({
  ecommerce_product_id: v.nullable(v.number()),
  external_product_id: v.nullable(v.string()),
  message: v.string(),
});

export const syncOperations = {
  listRuns: defineOperation({
    method: "GET",
    path: "/api/ecommerce/sync-runs",
    summary: "Platform sync runs newest first (one storefront's, or every storefront's the key may read), with their progress",
    tags: ["Sync"],
    role: "viewer",
    query: listSyncRunsQuery,
    responses: { 200: { description: "Runs", schema: v.object({ runs: v.array(syncRunView), next_cursor: v.nullable(v.string()) }) } },
  }),
  request: defineOperation({
    method: "POST",
    path: "/api/ecommerce/storefronts/{id}/sync",
    summary:
      'Queue a sync of the storefront now. Optional JSON body {"kinds": ["products", "orders", "customers"]}; without it, every kind its auto_sync flags enable',
    tags: ["Sync"],
    role: "operator",
    params: storefrontRefParams,
    responses: {
      202: {
        description: "Queued",
        schema: v.object({ message: v.string(), runs: v.array(v.object({ run_id: v.string(), kind: v.picklist(SYNC_KINDS) })) }),
      },
    },
  }),
  inventoryStatus: defineOperation({
    method: "GET",
    path: "/api/ecommerce/inventory/sync",
    summary: "Stock of each product (in_stock, low_stock at or under its low_stock_threshold, out_of_stock) and the storefronts' stock statistics",
    tags: ["Inventory"],
    role: "viewer",
    query: inventoryStatusQuery,
    responses: {
      200: {
        description: "Stock",
        schema: v.object({
          products: v.array(inventoryProductView),
          next_cursor: v.nullable(v.string()),
          statistics: v.object({
            total_products: v.number(),
            low_stock_count: v.number(),
            out_of_stock_count: v.number(),
            synced_count: v.number(),
            pending_sync_count: v.number(),
          }),
        }),
      },
    },
  }),
  inventorySync: defineOperation({
    method: "POST",
    path: "/api/ecommerce/inventory/sync",
    summary: "Push the hub's stock to the platform (erp_to_store) or take the platform's (store_to_erp), for every product or some",
    tags: ["Inventory"],
    role: "operator",
    body: inventorySyncBody,
    responses: {
      200: {
        description: "Done",
        schema: v.object({ message: v.string(), updated_count: v.number(), error_count: v.number(), errors: v.array(itemError) }),
      },
    },
  }),
};
