import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import { queryCollectionPage, queryWholeCollection } from "./collections";
import { batchGetItems, keyString } from "./batch";
import { conditionFailedAt } from "./transactions";
import type { CredentialField } from "../schemas/storefront";

/**
 * Storefronts.
 * Access patterns:
 * - get a storefront by id ............................ pk = STOREFRONT#<id>, sk = STOREFRONT
 * - resolve a storefront_code (unique, any case) ...... pk = STOREFRONT_CODE#<CODE>, sk = STOREFRONT_CODE
 * - list storefronts in id order ...................... byCollection: gsi1pk = STOREFRONTS, gsi1sk = STOREFRONT#<id, 10 digits>
 * - storefront statistics, kept by stream processors .. pk = STOREFRONT#<id>, sk = STATS#CATALOG | STATS#ORDERS
 */
export interface EncryptedCredential {
  ciphertext: string;
  last4: string;
}

export interface StorefrontItem {
  storefront_id: number;
  storefront_code: string;
  storefront_name: string;
  platform_type: string;
  platform_url: string | null;
  api_endpoint: string | null;
  credentials: Partial<Record<CredentialField, EncryptedCredential>>;
  /** The webhook secret replaced last, still accepted for a while so that deliveries signed with it are not lost. */
  previous_webhook_secret?: EncryptedCredential & { retired_at: string };
  default_currency: string;
  default_language: string;
  timezone: string;
  auto_sync_products: boolean;
  auto_sync_orders: boolean;
  auto_sync_inventory: boolean;
  auto_sync_customers: boolean;
  /** Stock rules; absent on storefronts stored before they existed (read them with stockRulesOf). */
  inventory_safety_buffer?: number;
  inventory_percentage?: number;
  inventory_max_quantity?: number | null;
  sync_frequency_minutes: number;
  last_product_sync_at: string | null;
  last_order_sync_at: string | null;
  /** When the daily 48-hour order reconciliation was last queued (or a full order sync ran); absent until then. */
  last_order_reconciliation_at?: string | null;
  last_inventory_sync_at: string | null;
  last_customer_sync_at: string | null;
  auto_create_sales_orders: boolean;
  auto_fulfill_orders: boolean;
  order_prefix: string | null;
  is_active: boolean;
  is_connected: boolean;
  connection_status: string;
  /** Why the platform refused the connection (its own message), while connection_status is error. */
  connection_error?: string;
  /**
   * What kind of failure connection_error is: the credentials were refused
   * (the schedule leaves the storefront alone until they are replaced), or the
   * platform could not be reached or answered with an error (syncs go on, and
   * the first that succeeds clears it). Absent on errors stored before it
   * existed, which were all refusals.
   */
  connection_failure?: ConnectionFailure;
  created_by: number | null;
  /** Abandoned-cart settings; absent on storefronts stored before they existed (read them with cartSettingsOf). */
  abandoned_cart_hours?: number;
  auto_recover_carts?: boolean;
  recovery_email_delays_hours?: number[];
  recovery_daily_send_limit?: number;
  recovery_sender_email?: string | null;
  created_at: string;
  updated_at: string;
}

export type ConnectionFailure = "credentials_rejected" | "platform_error";

export interface StorefrontStats {
  product_count: number;
  order_count: number;
  /** Revenue in minor units, per currency. */
  revenue_minor: Record<string, number>;
}

const COLLECTION = "STOREFRONTS";
export const storefrontKey = (id: number) => ({ pk: `STOREFRONT#${id}`, sk: "STOREFRONT" });
const codeKey = (code: string) => ({ pk: `STOREFRONT_CODE#${code.toUpperCase()}`, sk: "STOREFRONT_CODE" });
export const STATS_KEYS = {
  catalog: (id: number) => ({ pk: `STOREFRONT#${id}`, sk: "STATS#CATALOG" }),
  orders: (id: number) => ({ pk: `STOREFRONT#${id}`, sk: "STATS#ORDERS" }),
  /** customers, and buyers (customers with at least one sale): kept by the analytics-counters stream processor. */
  customers: (id: number) => ({ pk: `STOREFRONT#${id}`, sk: "STATS#CUSTOMERS" }),
};
const collectionSort = (id: number) => `STOREFRONT#${String(id).padStart(10, "0")}`;

export class DuplicateStorefrontCodeError extends Error {}

const INTERNAL_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "entity"] as const;

function toStorefront(item: Record<string, unknown>): StorefrontItem {
  const copy = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete copy[attribute];
  return copy as unknown as StorefrontItem;
}

/** Creates a storefront and claims its code in one transaction. */
export async function insertStorefront(storefront: StorefrontItem): Promise<void> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...codeKey(storefront.storefront_code), entity: "storefront_code", storefront_id: storefront.storefront_id },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: { ...storefrontKey(storefront.storefront_id), gsi1pk: COLLECTION, gsi1sk: collectionSort(storefront.storefront_id), entity: "storefront", ...storefront },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new DuplicateStorefrontCodeError(storefront.storefront_code);
    throw error;
  }
}

/**
 * Replaces a storefront's attributes. When the code changes, the old claim is
 * released and the new one taken in the same transaction. `expectedUpdatedAt`
 * guards against a concurrent writer.
 */
export async function replaceStorefront(previous: StorefrontItem, next: StorefrontItem): Promise<boolean> {
  storefrontCache.delete(next.storefront_id);
  const codeChanged = previous.storefront_code.toUpperCase() !== next.storefront_code.toUpperCase();
  const items: NonNullable<TransactWriteCommandInput["TransactItems"]> = [];
  if (codeChanged) {
    items.push(
      {
        Put: {
          TableName: tableName(),
          Item: { ...codeKey(next.storefront_code), entity: "storefront_code", storefront_id: next.storefront_id },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      { Delete: { TableName: tableName(), Key: codeKey(previous.storefront_code) } },
    );
  }
  items.push({
    Put: {
      TableName: tableName(),
      Item: { ...storefrontKey(next.storefront_id), gsi1pk: COLLECTION, gsi1sk: collectionSort(next.storefront_id), entity: "storefront", ...next },
      ConditionExpression: "updated_at = :expected",
      ExpressionAttributeValues: { ":expected": previous.updated_at },
    },
  });
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
    storefrontCache.delete(next.storefront_id);
    return true;
  } catch (error) {
    if (codeChanged && conditionFailedAt(error, 0)) throw new DuplicateStorefrontCodeError(next.storefront_code);
    if (conditionFailedAt(error, items.length - 1)) return false;
    throw error;
  }
}

export async function deleteStorefrontRecords(storefront: StorefrontItem): Promise<void> {
  storefrontCache.delete(storefront.storefront_id);
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: tableName(), Key: storefrontKey(storefront.storefront_id), ConditionExpression: "attribute_exists(pk)" } },
        { Delete: { TableName: tableName(), Key: codeKey(storefront.storefront_code) } },
        { Delete: { TableName: tableName(), Key: STATS_KEYS.catalog(storefront.storefront_id) } },
        { Delete: { TableName: tableName(), Key: STATS_KEYS.orders(storefront.storefront_id) } },
      ],
    }),
  );
}

export async function getStorefront(id: number): Promise<StorefrontItem | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: storefrontKey(id) }));
  return Item ? toStorefront(Item) : undefined;
}

/**
 * What a product upsert needs of its storefront (that it exists, and its
 * default currency, a new product's currency), kept per function instance
 * for a few seconds: a catalog import upserts thousands of products of one
 * storefront, and reading the storefront for each was a third of a create's
 * DynamoDB requests. The cost: for up to STOREFRONT_CACHE_TTL_MS after a
 * storefront's default_currency changes (or it is deleted, which needs an
 * empty catalog, itself known only once the counters' stream processor has
 * caught up), another instance may still create products with the old
 * currency (or for the deleted storefront). Unknown storefronts are never
 * kept, so a new storefront is usable at once; this instance's own writes to
 * a storefront drop its entry at once.
 */
export const STOREFRONT_CACHE_TTL_MS = 5_000;
const STOREFRONT_CACHE_MAX_ENTRIES = 1_000;
const storefrontCache = new Map<number, { currency: string; expiresAt: number }>();

export async function getStorefrontCurrency(id: number): Promise<string | undefined> {
  const cached = storefrontCache.get(id);
  if (cached && cached.expiresAt > Date.now()) return cached.currency;
  const storefront = await getStorefront(id);
  if (!storefront) {
    storefrontCache.delete(id);
    return undefined;
  }
  if (storefrontCache.size >= STOREFRONT_CACHE_MAX_ENTRIES) storefrontCache.clear();
  storefrontCache.set(id, { currency: String(storefront.default_currency), expiresAt: Date.now() + STOREFRONT_CACHE_TTL_MS });
  return String(storefront.default_currency);
}

/** Drops the cached entries, as a new function instance starts (for tests). */
export function forgetCachedStorefronts(): void {
  storefrontCache.clear();
}

export async function getStorefrontIdByCode(code: string): Promise<number | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: codeKey(code) }));
  return Item ? Number(Item.storefront_id) : undefined;
}

export async function listStorefronts(limit: number, startKey?: Record<string, unknown>) {
  const page = await queryCollectionPage(COLLECTION, { limit, startKey });
  return { storefronts: page.items.map(toStorefront), lastKey: page.lastKey };
}

/** Every storefront, in id order (a small collection). */
export async function listEveryStorefront(): Promise<StorefrontItem[]> {
  return (await queryWholeCollection(COLLECTION)).map(toStorefront);
}

/** Statistics for many storefronts in one round of BatchGetItem (two small items each). */
export async function getStorefrontStats(ids: number[]): Promise<Map<number, StorefrontStats>> {
  const found = await batchGetItems(ids.flatMap((id) => [STATS_KEYS.catalog(id), STATS_KEYS.orders(id)]));
  return new Map(
    ids.map((id) => {
      const catalog = found.get(keyString(STATS_KEYS.catalog(id)));
      const orders = found.get(keyString(STATS_KEYS.orders(id)));
      return [
        id,
        {
          product_count: Number(catalog?.product_count ?? 0),
          order_count: Number(orders?.order_count ?? 0),
          revenue_minor: (orders?.revenue_minor as Record<string, number> | undefined) ?? {},
        },
      ];
    }),
  );
}

/**
 * A sync run of one kind succeeded: its cursor moves to `at` (never
 * backwards), and the storefront counts as connected.
 */
export async function advanceSyncCursor(storefrontId: number, field: "last_product_sync_at" | "last_order_sync_at" | "last_customer_sync_at", at: string, now: string): Promise<void> {
  storefrontCache.delete(storefrontId);
  await documentClient
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: storefrontKey(storefrontId),
        UpdateExpression: "SET #cursor = :at, connection_status = :connected, is_connected = :true, updated_at = :now REMOVE connection_error, connection_failure",
        ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(#cursor) OR #cursor = :null OR #cursor < :at)",
        ExpressionAttributeNames: { "#cursor": field },
        ExpressionAttributeValues: { ":at": at, ":connected": "connected", ":true": true, ":now": now, ":null": null },
      }),
    )
    .catch((error) => {
      // Deleted meanwhile, or a later run moved the cursor further already.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

/** Longest connection_error kept. */
export const MAX_CONNECTION_ERROR_LENGTH = 1000;

/** The platform refused the storefront's credentials: it stops syncing until they are replaced. `message` is the platform's, never a secret. */
export async function markConnectionRejected(storefrontId: number, message: string, now: string): Promise<void> {
  storefrontCache.delete(storefrontId);
  await documentClient
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: storefrontKey(storefrontId),
        UpdateExpression: "SET connection_status = :error, is_connected = :false, connection_error = :message, connection_failure = :rejected, updated_at = :now",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":error": "error", ":false": false, ":message": message.slice(0, MAX_CONNECTION_ERROR_LENGTH), ":rejected": "credentials_rejected", ":now": now },
      }),
    )
    .catch((error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

/**
 * The daily order reconciliation was queued at `at`, or a full order sync
 * that succeeded ran from `at` (itself a reconciliation of everything). Never
 * moves the mark backwards; false when it was at `at` or later already.
 */
export async function markOrderReconciliation(storefrontId: number, at: string, now: string): Promise<boolean> {
  storefrontCache.delete(storefrontId);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: storefrontKey(storefrontId),
        UpdateExpression: "SET last_order_reconciliation_at = :at, updated_at = :now",
        ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(last_order_reconciliation_at) OR last_order_reconciliation_at = :null OR last_order_reconciliation_at < :at)",
        ExpressionAttributeValues: { ":at": at, ":now": now, ":null": null },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
