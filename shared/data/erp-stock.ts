/**
 * The ERP quantity of each SKU and the listings that sell it.
 * Access patterns:
 * - a SKU's quantity with its listings, for a push ... Query pk = STOCK#<sku> (consistent)
 *     sk = STOCK: quantity (absent until the first push opens it), version, push_due_at (a push is queued)
 *     sk = LISTING#<product id, 10 digits>#<variant id, 10 digits | PRODUCT>: storefront_id, published_quantity,
 *       reflected_seq (the listing's last stock change of its own that the quantity counts)
 * A listing entry may outlive its listing (a product deleted, a SKU changed):
 * the push checks each against the catalog and drops the stale ones.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import type { TableKey } from "./batch";
import { queryAll } from "./collections";
import { productKey } from "./products";
import { variantKey } from "./variants";
import { cancellationCodes } from "./transactions";
import { streamMarkerPut } from "./stream-markers";
import type { ListingRef } from "../stock/listing";

const padded = (id: number) => String(id).padStart(10, "0");
const partitionOf = (sku: string) => `STOCK#${sku}`;
export const erpStockKey = (sku: string): TableKey => ({ pk: partitionOf(sku), sk: "STOCK" });
export const stockListingKey = (sku: string, ref: ListingRef): TableKey => ({
  pk: partitionOf(sku),
  sk: `LISTING#${padded(ref.productId)}#${ref.variantId === null ? "PRODUCT" : padded(ref.variantId)}`,
});

export interface ErpStock {
  sku: string;
  /** Null until the first push opens it from the SKU's listings. */
  quantity: number | null;
  version: number;
}

export interface StockListingEntry extends ListingRef {
  storefrontId: number;
  /** The quantity last published to the storefront's platform; null before the first push. */
  publishedQuantity: number | null;
  /** The listing's own stock changes (its stock_seq) that the ERP quantity counts. */
  reflectedSeq: number;
}

/**
 * Opens a SKU's ERP stock with a listing's quantity, in one transaction with a
 * check that the listing's own stock changes are still the `seq` read (none
 * on its way, which the stream would then count a second time). False when
 * the stock is open already or the listing changed: read again.
 */
export async function openErpStock(sku: string, from: { key: TableKey; quantity: number; seq: number }, now: string): Promise<boolean> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: erpStockKey(sku),
              UpdateExpression: "SET entity = :entity, sku = :sku, quantity = :quantity, updated_at = :now ADD version :one",
              ConditionExpression: "attribute_not_exists(quantity)",
              ExpressionAttributeValues: { ":entity": "erp_stock", ":sku": sku, ":quantity": from.quantity, ":now": now, ":one": 1 },
            },
          },
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: from.key,
              ConditionExpression: from.seq === 0 ? "attribute_not_exists(stock_seq) OR stock_seq = :seq" : "stock_seq = :seq",
              ExpressionAttributeValues: { ":seq": from.seq },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.includes("ConditionalCheckFailed")) return false;
    throw error;
  }
}

/**
 * Moves a SKU's ERP quantity by `delta`, or sets it to `quantity`, once per
 * stream record (a marker named after the consumer and the record's eventID
 * is written in the same transaction). "missing" when the SKU's ERP stock is not open yet.
 */
export async function changeErpStock(
  sku: string,
  change: { delta: number } | { quantity: number },
  once: { consumer: string; eventId: string },
  now: string,
): Promise<"changed" | "already" | "missing"> {
  const [expression, values] =
    "delta" in change
      ? ["SET updated_at = :now ADD quantity :delta, version :one", { ":delta": change.delta }]
      : ["SET updated_at = :now, quantity = :quantity ADD version :one", { ":quantity": change.quantity }];
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          streamMarkerPut(once.consumer, once.eventId),
          {
            Update: {
              TableName: tableName(),
              Key: erpStockKey(sku),
              UpdateExpression: expression,
              ConditionExpression: "attribute_exists(quantity)",
              ExpressionAttributeValues: { ...values, ":one": 1, ":now": now },
            },
          },
        ],
      }),
    );
    return "changed";
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === "ConditionalCheckFailed") return "already";
    if (codes?.[1] === "ConditionalCheckFailed") return "missing";
    throw error;
  }
}

/**
 * Records that a product or variant lists the SKU, with the number its
 * platform shows when it reported one (idempotent; else what was published stays).
 */
export async function addStockListing(sku: string, ref: ListingRef, storefrontId: number, seq: number, shown?: number): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: stockListingKey(sku, ref),
      UpdateExpression: `SET entity = :entity, sku = :sku, ecommerce_product_id = :product, variant_id = :variant, storefront_id = :storefront, reflected_seq = :seq${shown === undefined ? "" : ", published_quantity = :shown"}`,
      ExpressionAttributeValues: {
        ":seq": seq,
        ":entity": "stock_listing",
        ":sku": sku,
        ":product": ref.productId,
        ":variant": ref.variantId,
        ":storefront": storefrontId,
        ...(shown === undefined ? {} : { ":shown": shown }),
      },
    }),
  );
}

export async function removeStockListing(sku: string, ref: ListingRef): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: stockListingKey(sku, ref) }));
}

/** Records that the ERP quantity counts the listing's stock changes up to `seq` (never moving back), if the listing is still there. */
export async function recordReflected(sku: string, ref: ListingRef, seq: number): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: stockListingKey(sku, ref),
        UpdateExpression: "SET reflected_seq = :seq",
        ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(reflected_seq) OR reflected_seq < :seq)",
        ExpressionAttributeValues: { ":seq": seq },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Remembers the quantity now on the storefront's platform (published or reported), if the listing is still there. */
export async function recordPublished(sku: string, ref: ListingRef, quantity: number, now: string): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: stockListingKey(sku, ref),
        UpdateExpression: "SET published_quantity = :quantity, published_at = :now",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":quantity": quantity, ":now": now },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * Asks for a push of the SKU unless one is queued already: true when the
 * caller is to queue it. A request older than `staleAfterMs` (its message
 * lost) counts as none.
 */
export async function requestStockPush(sku: string, now: Date, staleAfterMs: number): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: erpStockKey(sku),
        UpdateExpression: "SET entity = :entity, sku = :sku, push_due_at = :now",
        ConditionExpression: "attribute_not_exists(push_due_at) OR push_due_at < :stale",
        ExpressionAttributeValues: { ":entity": "erp_stock", ":sku": sku, ":now": now.toISOString(), ":stale": new Date(now.getTime() - staleAfterMs).toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The push is under way: changes from now on ask for another one. */
export async function clearStockPushRequest(sku: string): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({ TableName: tableName(), Key: erpStockKey(sku), UpdateExpression: "REMOVE push_due_at", ConditionExpression: "attribute_exists(pk)" }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** The SKU's ERP stock and its listings, strongly consistent; undefined when the SKU has none. */
export async function readErpStock(sku: string): Promise<{ stock: ErpStock; listings: StockListingEntry[] } | undefined> {
  const items = await queryAll({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": partitionOf(sku) }, ConsistentRead: true });
  const stock = items.find((item) => item.sk === "STOCK");
  if (!stock) return undefined;
  return {
    stock: { sku, quantity: typeof stock.quantity === "number" ? stock.quantity : null, version: Number(stock.version ?? 0) },
    listings: items
      .filter((item) => String(item.sk).startsWith("LISTING#"))
      .map((item) => ({
        productId: Number(item.ecommerce_product_id),
        variantId: item.variant_id === null || item.variant_id === undefined ? null : Number(item.variant_id),
        storefrontId: Number(item.storefront_id),
        publishedQuantity: typeof item.published_quantity === "number" ? item.published_quantity : null,
        reflectedSeq: Number(item.reflected_seq ?? 0),
      })),
  };
}

/**
 * Copies the ERP quantity onto a listing (stock_origin "erp"), if it is still
 * at the version read; a variant's product moves by the same difference.
 * "stale" when it changed since it was read: read it again.
 */
export async function copyErpQuantity(
  ref: ListingRef,
  read: { quantity: number; version: number },
  quantity: number,
  now: string,
): Promise<"written" | "stale"> {
  const listing = {
    Update: {
      TableName: tableName(),
      Key: ref.variantId === null ? productKey(ref.productId) : variantKey(ref.productId, ref.variantId),
      UpdateExpression: "SET inventory_quantity = :quantity, stock_origin = :erp, updated_at = :now ADD #version :one",
      ConditionExpression: "#version = :read",
      ExpressionAttributeNames: { "#version": "version" },
      ExpressionAttributeValues: { ":quantity": quantity, ":erp": "erp", ":now": now, ":one": 1, ":read": read.version },
    },
  };
  const productSum = {
    Update: {
      TableName: tableName(),
      Key: productKey(ref.productId),
      // The version moves so that a catalog write based on an older read retries.
      UpdateExpression: "SET updated_at = :now ADD inventory_quantity :difference, #version :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#version": "version" },
      ExpressionAttributeValues: { ":difference": quantity - read.quantity, ":now": now, ":one": 1 },
    },
  };
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: ref.variantId === null ? [listing] : [listing, productSum] }));
    return "written";
  } catch (error) {
    if (cancellationCodes(error)?.includes("ConditionalCheckFailed")) return "stale";
    throw error;
  }
}
