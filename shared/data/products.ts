import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException, type TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { documentClient, tableName } from "./client";
import { batchGetItems, batchWriteItems, keyString, type TableKey } from "./batch";
import { cancellationCodes, conditionFailedAt } from "./transactions";
import { INDEXES } from "./table-definition";
import { isVariantKey, toVariantRecord } from "./variants";
import type { ProductRecord } from "../domain/product-records";
import type { VariantRecord } from "../domain/variant-records";
import type { SyncStatus } from "../schemas/product";

/**
 * Products. A product's variants and its sales statistics live in its own
 * partition, so that reading a product with everything about it is one Query.
 * Access patterns:
 * - a product with its variants and sales statistics ...... Query pk = PRODUCT#<id>
 *     (sk = PRODUCT | STATS | VARIANT#<variant id, 10 digits> | EXTVARIANT#<external variant id>)
 * - resolve (storefront, external_product_id) for upserts .. GetItem pk = STOREFRONT#<sid>#EXTPRODUCT#<external id>, sk = LOOKUP
 *     (the claim: ecommerce_product_id; written with its product, see insertProduct)
 * - a storefront's products in id order, with filters ...... byCollection: gsi1pk = STOREFRONT#<sid>#PRODUCTS, gsi1sk = PRODUCT#<id, 10 digits>
 * - sales statistics of a page of products ................. BatchGetItem pk = PRODUCT#<id>, sk = STATS
 *     (order_count, total_quantity_sold; kept by the orders' stream processor, absent until the first order)
 */
export const productKey = (id: number): TableKey => ({ pk: `PRODUCT#${id}`, sk: "PRODUCT" });
export const productStatsKey = (id: number): TableKey => ({ pk: `PRODUCT#${id}`, sk: "STATS" });
export const productLookupKey = (storefrontId: number, externalId: string): TableKey => ({
  pk: `STOREFRONT#${storefrontId}#EXTPRODUCT#${externalId}`,
  sk: "LOOKUP",
});
const collectionOf = (storefrontId: number) => `STOREFRONT#${storefrontId}#PRODUCTS`;
const sortKeyOf = (id: number) => `PRODUCT#${String(id).padStart(10, "0")}`;

/** A transaction holds at most 100 actions. */
const MAX_TRANSACTION_ACTIONS = 100;
const INTERNAL_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "entity"] as const;

export interface ProductSalesStats {
  order_count: number;
  total_quantity_sold: number;
}

const NO_SALES: ProductSalesStats = { order_count: 0, total_quantity_sold: 0 };

function toSalesStats(item: Record<string, unknown> | undefined): ProductSalesStats {
  return item ? { order_count: Number(item.order_count ?? 0), total_quantity_sold: Number(item.total_quantity_sold ?? 0) } : NO_SALES;
}

export function toProductRecord(item: Record<string, unknown>): ProductRecord {
  const copy = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete copy[attribute];
  return copy as unknown as ProductRecord;
}

/** The stored item of a product: its record plus keys (what BatchWriteItem seeding writes too). */
export function productItem(product: ProductRecord): Record<string, unknown> {
  return {
    ...productKey(product.ecommerce_product_id),
    gsi1pk: collectionOf(product.storefront_id),
    gsi1sk: sortKeyOf(product.ecommerce_product_id),
    entity: "product",
    ...product,
  };
}

export function productLookupItem(product: ProductRecord): Record<string, unknown> {
  return { ...productLookupKey(product.storefront_id, product.external_product_id), entity: "product_lookup", ecommerce_product_id: product.ecommerce_product_id };
}

/**
 * Creates a product and claims its (storefront, external id) in one
 * transaction, without reading first: an upsert tries the create, and a
 * claim that exists already cancels it and comes back with the cancellation
 * (ReturnValuesOnConditionCheckFailure), naming the product to update
 * instead. `claimedId` is undefined when the claim could not be read that way
 * (a concurrent transaction on it): resolve it with getProductIdByExternalId.
 */
export async function insertProduct(product: ProductRecord): Promise<{ created: true } | { created: false; claimedId: number | undefined }> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: productLookupItem(product), ConditionExpression: "attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure: "ALL_OLD" } },
          { Put: { TableName: tableName(), Item: productItem(product), ConditionExpression: "attribute_not_exists(pk)" } },
        ],
      }),
    );
    return { created: true };
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === "ConditionalCheckFailed") return { created: false, claimedId: claimedIdOf((error as TransactionCanceledException).CancellationReasons?.[0]?.Item) };
    if (codes?.includes("TransactionConflict")) return { created: false, claimedId: undefined };
    throw error;
  }
}

/** The product id of a claim returned with a cancellation (as DynamoDB attribute values: errors are not unmarshalled). */
function claimedIdOf(item: Record<string, unknown> | undefined): number | undefined {
  const value = item?.ecommerce_product_id as { N?: string } | number | undefined;
  const id = typeof value === "object" && value !== null ? Number(value.N) : Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * A claim without its product cannot come from insertProduct (one
 * transaction), but one written otherwise (a restore, a hand edit, an older
 * writer) must not leave its external id stuck: whoever finds it writes the
 * product under the claimed id, if the claim still names it. "created"; "exists" when the product is
 * there after all, or being written (its creator or another repairer); "claim_changed"
 * when the claim is gone or names another id (resolve the external id again).
 */
export async function repairClaimedProduct(product: ProductRecord): Promise<"created" | "exists" | "claim_changed"> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: productLookupKey(product.storefront_id, product.external_product_id),
              ConditionExpression: "ecommerce_product_id = :id",
              ExpressionAttributeValues: { ":id": product.ecommerce_product_id },
            },
          },
          { Put: { TableName: tableName(), Item: productItem(product), ConditionExpression: "attribute_not_exists(pk)" } },
        ],
      }),
    );
    return "created";
  } catch (error) {
    if (conditionFailedAt(error, 0)) return "claim_changed";
    // The product is there, or another repairer's transaction is writing it: read it again.
    const codes = cancellationCodes(error);
    if (codes?.[1] === "ConditionalCheckFailed" || codes?.includes("TransactionConflict")) return "exists";
    throw error;
  }
}

export async function getProductIdByExternalId(storefrontId: number, externalId: string): Promise<number | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: productLookupKey(storefrontId, externalId), ConsistentRead: true }));
  return Item ? Number(Item.ecommerce_product_id) : undefined;
}

export async function getProduct(id: number): Promise<ProductRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: productKey(id), ConsistentRead: true }));
  return Item ? toProductRecord(Item) : undefined;
}

export interface ProductWithDetails {
  product: ProductRecord;
  variants: VariantRecord[];
  stats: ProductSalesStats;
  /** Keys of every item of the partition, for deleting the product. */
  keys: TableKey[];
}

/** The product, its variants (in id order) and its sales statistics: one Query on its partition. */
export async function getProductWithDetails(id: number, options: { consistentRead?: boolean } = {}): Promise<ProductWithDetails | undefined> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": productKey(id).pk },
        ConsistentRead: options.consistentRead,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const productItem = items.find((item) => item.sk === "PRODUCT");
  if (!productItem) return undefined;
  return {
    product: toProductRecord(productItem),
    variants: items.filter((item) => isVariantKey(String(item.sk))).map(toVariantRecord),
    stats: toSalesStats(items.find((item) => item.sk === "STATS")),
    keys: items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) })),
  };
}

/**
 * Writes the changed attributes of a product, if nobody wrote it since it was
 * read (`version`). Returns false when someone did: read again and retry.
 */
export async function writeProductChanges(next: ProductRecord, changedFields: (keyof ProductRecord)[], expectedVersion: number): Promise<boolean> {
  const fields = [...new Set<keyof ProductRecord>([...changedFields, "updated_at", "version"])];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":expected": expectedVersion };
  fields.forEach((field, index) => {
    names[`#f${index}`] = field;
    values[`:v${index}`] = next[field];
  });
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: productKey(next.ecommerce_product_id),
        UpdateExpression: `SET ${fields.map((_, index) => `#f${index} = :v${index}`).join(", ")}`,
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { ...names, "#version": "version" },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export type DeleteProductOutcome = "deleted" | "changed" | "has_orders";

/**
 * Deletes a product with everything in its partition and its external-id
 * claim. The product must still be at the version read, and its sales
 * statistics must still show no orders (checked in the same transaction).
 * A product with more items than one transaction holds loses the rest in
 * batches afterwards: they are unreachable once the product is gone.
 */
export async function deleteProductRecords(details: ProductWithDetails): Promise<DeleteProductOutcome> {
  const { product } = details;
  const others = details.keys.filter((key) => key.sk !== "PRODUCT" && key.sk !== "STATS");
  const fixed: NonNullable<TransactWriteCommandInput["TransactItems"]> = [
    {
      Delete: {
        TableName: tableName(),
        Key: productKey(product.ecommerce_product_id),
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":expected": product.version },
      },
    },
    {
      Delete: {
        TableName: tableName(),
        Key: productStatsKey(product.ecommerce_product_id),
        ConditionExpression: "attribute_not_exists(pk) OR attribute_not_exists(order_count) OR order_count <= :none",
        ExpressionAttributeValues: { ":none": 0 },
      },
    },
    { Delete: { TableName: tableName(), Key: productLookupKey(product.storefront_id, product.external_product_id) } },
  ];
  const inTransaction = others.slice(0, MAX_TRANSACTION_ACTIONS - fixed.length);
  try {
    await documentClient.send(
      new TransactWriteCommand({ TransactItems: [...fixed, ...inTransaction.map((key) => ({ Delete: { TableName: tableName(), Key: key } }))] }),
    );
  } catch (error) {
    if (conditionFailedAt(error, 0)) return "changed";
    if (conditionFailedAt(error, 1)) return "has_orders";
    throw error;
  }
  await batchWriteItems(others.slice(inTransaction.length).map((key) => ({ delete: key })));
  return "deleted";
}

export interface ProductFilter {
  sync_status?: SyncStatus;
  is_published?: boolean;
  category_id?: number;
  /** Lower-cased; matched anywhere in the name or SKUs. */
  search?: string;
}

export const hasFilter = (filter: ProductFilter): boolean => Object.values(filter).some((value) => value !== undefined);

function filterExpression(filter: ProductFilter) {
  const clauses: string[] = [];
  const values: Record<string, unknown> = {};
  if (filter.sync_status !== undefined) {
    clauses.push("sync_status = :sync_status");
    values[":sync_status"] = filter.sync_status;
  }
  if (filter.is_published !== undefined) {
    clauses.push("is_published = :is_published");
    values[":is_published"] = filter.is_published;
  }
  if (filter.category_id !== undefined) {
    clauses.push("ecommerce_category_id = :category_id");
    values[":category_id"] = filter.category_id;
  }
  if (filter.search !== undefined) {
    clauses.push("contains(search_text, :search)");
    values[":search"] = filter.search;
  }
  return clauses.length > 0 ? { FilterExpression: clauses.join(" AND "), values } : { values };
}

export interface ProductPage {
  products: ProductRecord[];
  /** The id of the last product examined (matching or not); undefined when the storefront has no more. */
  lastExaminedId: number | undefined;
}

/**
 * One Query of a storefront's products after `afterId`, in id order:
 * `examine` products are read, and those matching the filter returned.
 */
export async function queryStorefrontProducts(storefrontId: number, options: { afterId?: number; examine: number; filter: ProductFilter }): Promise<ProductPage> {
  const { FilterExpression, values } = filterExpression(options.filter);
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: INDEXES.byCollection.name,
      KeyConditionExpression: options.afterId === undefined ? "gsi1pk = :collection" : "gsi1pk = :collection AND gsi1sk > :after",
      FilterExpression,
      ExpressionAttributeValues: {
        ":collection": collectionOf(storefrontId),
        ...(options.afterId === undefined ? {} : { ":after": sortKeyOf(options.afterId) }),
        ...values,
      },
      Limit: options.examine,
    }),
  );
  const last = page.LastEvaluatedKey?.gsi1sk;
  return {
    products: (page.Items ?? []).map(toProductRecord),
    lastExaminedId: typeof last === "string" ? Number(last.slice("PRODUCT#".length)) : undefined,
  };
}

/** Sales statistics of many products (BatchGetItem); products without any read as zero. */
export async function getProductSalesStats(ids: number[]): Promise<Map<number, ProductSalesStats>> {
  const items = await batchGetItems(ids.map(productStatsKey));
  return new Map(ids.map((id) => [id, toSalesStats(items.get(keyString(productStatsKey(id))))]));
}

/** The storefronts of some products (absent once a product is gone), in one round trip. */
export async function storefrontsOfProducts(productIds: number[]): Promise<Map<number, number>> {
  const found = await batchGetItems(productIds.map(productKey));
  return new Map(productIds.flatMap((id) => {
    const item = found.get(keyString(productKey(id)));
    return item ? [[id, Number(item.storefront_id)] as const] : [];
  }));
}
