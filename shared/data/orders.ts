import { QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { documentClient, tableName } from "./client";
import { batchGetItems, keyString, type TableKey } from "./batch";
import { conditionFailedAt } from "./transactions";
import { INDEXES } from "./table-definition";
import { dateRangeKeyCondition, queryAll, type DateRange } from "./collections";
import { productKey, productLookupKey } from "./products";
import { querySkuEntries, type SkuEntry } from "./sku-index";
import { variantKey } from "./variants";
import type { ItemLink, OrderItemRecord, OrderRecord } from "../domain/order-records";
import type { PaymentRecord } from "../domain/payment-records";
import type { FulfillmentStatus, ImportStatus, OrderStatus, PaymentStatus } from "../schemas/order";

/**
 * Orders. An order's items (and later its payments) live in its partition, so
 * that an order with everything about it is one Query.
 * Access patterns:
 * - an order with its items and payments ................. Query pk = ORDER#<id>
 *     (sk = ORDER | ITEM#<order item id, 10 digits> | PAYMENT#<payment id, 10 digits>)
 * - resolve (storefront, external_order_id) for imports .... GetItem pk = STOREFRONT#<sid>#EXTORDER#<external id>, sk = LOOKUP
 * - a storefront's orders by order date, in a date range ... byCollection: gsi1pk = STOREFRONT#<sid>#ORDERS,
 *     gsi1sk = <order_date ISO>#<id, 10 digits> (newest first; statuses are filters)
 * - resolve line items to catalog products ................. BatchGetItem of the catalog's product lookups
 *     (STOREFRONT#<sid>#EXTPRODUCT#<id>) and variant claims (PRODUCT#<pid>, EXTVARIANT#<id>)
 */
export const orderKey = (id: number): TableKey => ({ pk: `ORDER#${id}`, sk: "ORDER" });
export const orderItemKey = (orderId: number, itemId: number): TableKey => ({ pk: `ORDER#${orderId}`, sk: `ITEM#${String(itemId).padStart(10, "0")}` });
export const orderLookupKey = (storefrontId: number, externalId: string): TableKey => ({
  pk: `STOREFRONT#${storefrontId}#EXTORDER#${externalId}`,
  sk: "LOOKUP",
});
const variantClaimKey = (productId: number, externalVariantId: string): TableKey => ({ pk: `PRODUCT#${productId}`, sk: `EXTVARIANT#${externalVariantId}` });
export const ordersCollection = (storefrontId: number) => `STOREFRONT#${storefrontId}#ORDERS`;
const padId = (id: number) => String(id).padStart(10, "0");
/** Where an order sorts in its storefront's list: by date, then id. */
export const collectionSortOf = (order: Pick<OrderRecord, "order_date" | "ecommerce_order_id">) => `${order.order_date}#${padId(order.ecommerce_order_id)}`;

type Item = Record<string, unknown>;
type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

const INTERNAL_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "entity"];
function strip<T>(item: Item): T {
  const copy = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete copy[attribute];
  return copy as T;
}

export const orderItem = (order: OrderRecord): Item => ({
  ...orderKey(order.ecommerce_order_id),
  gsi1pk: ordersCollection(order.storefront_id),
  gsi1sk: collectionSortOf(order),
  entity: "order",
  ...order,
});
export const lineItem = (item: OrderItemRecord): Item => ({ ...orderItemKey(item.ecommerce_order_id, item.order_item_id), entity: "order_item", ...item });

/** Reserves `count` consecutive ids of a sequence with one write; returns the first. */
export async function reserveIds(name: string, count: number): Promise<number> {
  const result = await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: `SEQUENCE#${name}`, sk: "SEQUENCE" },
      UpdateExpression: "ADD #value :count",
      ExpressionAttributeNames: { "#value": "value" },
      ExpressionAttributeValues: { ":count": count },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  return Number(result.Attributes?.value) - count + 1;
}

/** One round trip before an import: the storefront item and the order id its external id maps to, if any. */
export async function getWithOrderLookup(storefrontKey: TableKey, storefrontId: number, externalId: string) {
  const lookupKey = orderLookupKey(storefrontId, externalId);
  const items = await batchGetItems([storefrontKey, lookupKey], { consistentRead: true });
  const lookup = items.get(keyString(lookupKey));
  return { storefrontItem: items.get(keyString(storefrontKey)), orderId: lookup ? Number(lookup.ecommerce_order_id) : undefined };
}

/** The catalog products of some external product ids of a storefront (absent ones are left out). */
export async function findProductIds(storefrontId: number, externalIds: string[]): Promise<Map<string, number>> {
  const found = await batchGetItems(externalIds.map((id) => productLookupKey(storefrontId, id)));
  return new Map(
    externalIds.flatMap((id) => {
      const lookup = found.get(keyString(productLookupKey(storefrontId, id)));
      return lookup ? [[id, Number(lookup.ecommerce_product_id)] as const] : [];
    }),
  );
}

/** The variants of (product, external variant id) pairs, by `${productId}#${externalVariantId}`. */
export async function findVariantIds(pairs: { productId: number; externalVariantId: string }[]): Promise<Map<string, number>> {
  const found = await batchGetItems(pairs.map(({ productId, externalVariantId }) => variantClaimKey(productId, externalVariantId)));
  return new Map(
    pairs.flatMap(({ productId, externalVariantId }) => {
      const claim = found.get(keyString(variantClaimKey(productId, externalVariantId)));
      return claim ? [[`${productId}#${externalVariantId}`, Number(claim.variant_id)] as const] : [];
    }),
  );
}

/**
 * The catalog item each SKU names in a storefront, from the SKU index: its
 * first variant whose SKU it still is, else its first such product.
 */
export async function findBySku(storefrontId: number, skus: string[]): Promise<Map<string, ItemLink>> {
  const candidates = await Promise.all(skus.map(async (sku) => ({ sku, entries: await querySkuEntries(storefrontId, sku) })));
  const keyOf = (entry: SkuEntry) => (entry.variant_id === null ? productKey(entry.ecommerce_product_id) : variantKey(entry.ecommerce_product_id, entry.variant_id));
  const products = candidates.flatMap(({ entries }) => entries.map((entry) => productKey(entry.ecommerce_product_id)));
  const found = await batchGetItems([...candidates.flatMap(({ entries }) => entries.map(keyOf)), ...products]);
  const stillNamed = (sku: string, entry: SkuEntry) => {
    const product = found.get(keyString(productKey(entry.ecommerce_product_id)));
    const item = found.get(keyString(keyOf(entry)));
    return product?.storefront_id === storefrontId && item?.[entry.variant_id === null ? "external_sku" : "sku"] === sku;
  };
  return new Map(
    candidates.flatMap(({ sku, entries }) => {
      const entry = entries.find((each) => stillNamed(sku, each));
      return entry ? [[sku, { ecommerce_product_id: entry.ecommerce_product_id, variant_id: entry.variant_id }] as const] : [];
    }),
  );
}

export interface OrderWithDetails {
  order: OrderRecord;
  items: OrderItemRecord[];
  payments: PaymentRecord[];
}

/** The order, its items and payments: one Query on its partition. */
export async function getOrderWithDetails(id: number, options: { consistentRead?: boolean } = {}): Promise<OrderWithDetails | undefined> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": orderKey(id).pk },
    ConsistentRead: options.consistentRead,
  });
  const order = items.find((item) => item.sk === "ORDER");
  if (!order) return undefined;
  return {
    order: strip<OrderRecord>(order),
    items: items.filter((item) => String(item.sk).startsWith("ITEM#")).map((item) => strip<OrderItemRecord>(item)),
    payments: items.filter((item) => String(item.sk).startsWith("PAYMENT#")).map((item) => strip<PaymentRecord>(item)),
  };
}

/** Creates an order with its items and claims its (storefront, external id); false when another import claimed it first. */
export async function insertOrder(order: OrderRecord, items: OrderItemRecord[]): Promise<boolean> {
  const actions: Actions = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...orderLookupKey(order.storefront_id, order.external_order_id), entity: "order_lookup", ecommerce_order_id: order.ecommerce_order_id },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    { Put: { TableName: tableName(), Item: orderItem(order), ConditionExpression: "attribute_not_exists(pk)" } },
    ...items.map((item) => ({ Put: { TableName: tableName(), Item: lineItem(item) } })),
  ];
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: actions }));
    return true;
  } catch (error) {
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
}

/**
 * Writes a re-imported order if nobody wrote it since it was read (`expectedVersion`),
 * with only the items that changed and the deletion of those the platform removed.
 * Returns false when someone did: read again and retry.
 */
export async function replaceOrder(order: OrderRecord, expectedVersion: number, changedItems: OrderItemRecord[], removedItems: OrderItemRecord[]): Promise<boolean> {
  const actions: Actions = [
    {
      Put: {
        TableName: tableName(),
        Item: orderItem(order),
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":expected": expectedVersion },
      },
    },
    ...changedItems.map((item) => ({ Put: { TableName: tableName(), Item: lineItem(item) } })),
    ...removedItems.map((item) => ({ Delete: { TableName: tableName(), Key: orderItemKey(item.ecommerce_order_id, item.order_item_id) } })),
  ];
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: actions }));
    return true;
  } catch (error) {
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
}

export interface OrderFilter {
  order_status?: OrderStatus;
  payment_status?: PaymentStatus;
  fulfillment_status?: FulfillmentStatus;
  import_status?: ImportStatus;
}

export const hasOrderFilter = (filter: OrderFilter): boolean => Object.values(filter).some((value) => value !== undefined);

/**
 * One Query of a storefront's orders, newest first: at most `examine` orders
 * are read, and those matching the filter returned with the key to continue from.
 */
export async function queryStorefrontOrders(
  storefrontId: number,
  options: { range: DateRange; filter: OrderFilter; examine: number; startKey?: Item },
): Promise<{ orders: OrderRecord[]; lastKey: Item | undefined }> {
  const { condition, values } = dateRangeKeyCondition(ordersCollection(storefrontId), options.range);
  const clauses = Object.entries(options.filter).filter(([, value]) => value !== undefined);
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: INDEXES.byCollection.name,
      KeyConditionExpression: condition,
      FilterExpression: clauses.length > 0 ? clauses.map(([field]) => `#${field} = :${field}`).join(" AND ") : undefined,
      ExpressionAttributeNames: clauses.length > 0 ? Object.fromEntries(clauses.map(([field]) => [`#${field}`, field])) : undefined,
      ExpressionAttributeValues: { ...values, ...Object.fromEntries(clauses.map(([field, value]) => [`:${field}`, value])) },
      ScanIndexForward: false,
      Limit: options.examine,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { orders: (page.Items ?? []).map((item) => strip<OrderRecord>(item)), lastKey: page.LastEvaluatedKey };
}

/** Where a list continues after `order`: its keys on the table and the index. */
export const continuationKeyOf = (order: OrderRecord): Item => ({
  ...orderKey(order.ecommerce_order_id),
  gsi1pk: ordersCollection(order.storefront_id),
  gsi1sk: collectionSortOf(order),
});

/** Sets an order's totals if it is still at the version read; false when another writer got in between. */
export async function writeOrderTotals(orderId: number, totals: Pick<OrderRecord, "subtotal_minor" | "total_minor">, expectedVersion: number, now: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: orderKey(orderId),
        UpdateExpression: "SET subtotal_minor = :subtotal, total_minor = :total, updated_at = :now ADD #version :one",
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":subtotal": totals.subtotal_minor, ":total": totals.total_minor, ":now": now, ":expected": expectedVersion, ":one": 1 },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
