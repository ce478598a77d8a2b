import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { documentClient, tableName } from "./client";
import { batchGetItems, keyString, type TableKey } from "./batch";
import { cancellationCodes } from "./transactions";
import { queryCollectionPage } from "./collections";
import type { CustomerRecord } from "../domain/customer-records";

/**
 * Customers, one per person per storefront.
 * Access patterns:
 * - a customer by id .................................. GetItem pk = CUSTOMER#<id>, sk = CUSTOMER
 * - resolve (storefront, external customer id) ........ GetItem pk = STOREFRONT#<sid>#EXTCUSTOMER#<external id>, sk = LOOKUP
 * - resolve (storefront, lower-cased email) ........... GetItem pk = STOREFRONT#<sid>#EMAIL#<email>, sk = LOOKUP
 * - a storefront's customers in id order .............. byCollection: gsi1pk = STOREFRONT#<sid>#CUSTOMERS, gsi1sk = CUSTOMER#<id, 10 digits>
 * - a customer's orders ............................... Query pk = CUSTOMER#<id>, sk begins_with ORDER#
 *     (sk = ORDER#<order id, 10 digits>: one small summary per order, kept by the customer-stats processor,
 *     each carrying the order's version so that an older event never overwrites a newer one)
 */
export const customerKey = (id: number): TableKey => ({ pk: `CUSTOMER#${id}`, sk: "CUSTOMER" });
const externalLookupKey = (storefrontId: number, externalId: string): TableKey => ({ pk: `STOREFRONT#${storefrontId}#EXTCUSTOMER#${externalId}`, sk: "LOOKUP" });
const emailLookupKey = (storefrontId: number, email: string): TableKey => ({ pk: `STOREFRONT#${storefrontId}#EMAIL#${email.toLowerCase()}`, sk: "LOOKUP" });
const collectionOf = (storefrontId: number) => `STOREFRONT#${storefrontId}#CUSTOMERS`;
const sortKeyOf = (id: number) => `CUSTOMER#${String(id).padStart(10, "0")}`;
export const CUSTOMER_ORDER_PREFIX = "ORDER#";

const INTERNAL_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "entity"];
export function toCustomerRecord(item: Record<string, unknown>): CustomerRecord {
  const copy = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete copy[attribute];
  return copy as unknown as CustomerRecord;
}

const customerItem = (customer: CustomerRecord) => ({
  ...customerKey(customer.ecommerce_customer_id),
  gsi1pk: collectionOf(customer.storefront_id),
  gsi1sk: sortKeyOf(customer.ecommerce_customer_id),
  entity: "customer",
  ...customer,
});

const lookupItem = (key: TableKey, customerId: number) => ({ ...key, entity: "customer_lookup", ecommerce_customer_id: customerId });

/** The customer ids an external customer id and an email map to, in one round trip. */
export async function findCustomerIds(storefrontId: number, externalId: string | undefined, email: string) {
  const keys = [emailLookupKey(storefrontId, email), ...(externalId ? [externalLookupKey(storefrontId, externalId)] : [])];
  const found = await batchGetItems(keys, { consistentRead: true });
  const idOf = (key: TableKey) => {
    const item = found.get(keyString(key));
    return item ? Number(item.ecommerce_customer_id) : undefined;
  };
  return { byExternalId: externalId ? idOf(externalLookupKey(storefrontId, externalId)) : undefined, byEmail: idOf(emailLookupKey(storefrontId, email)) };
}

/** Creates a customer and claims its email (and external id); false when another request claimed either first. */
export async function insertCustomer(customer: CustomerRecord): Promise<boolean> {
  const claims = [emailLookupKey(customer.storefront_id, customer.email), ...(customer.external_customer_id ? [externalLookupKey(customer.storefront_id, customer.external_customer_id)] : [])];
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          ...claims.map((key) => ({ Put: { TableName: tableName(), Item: lookupItem(key, customer.ecommerce_customer_id), ConditionExpression: "attribute_not_exists(pk)" } })),
          { Put: { TableName: tableName(), Item: customerItem(customer), ConditionExpression: "attribute_not_exists(pk)" } },
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
 * Gives an existing customer (found by email) the external id an order
 * brings, when nobody holds that id yet; a customer holding it already stays.
 */
export async function claimExternalCustomerId(storefrontId: number, externalId: string, customerId: number): Promise<void> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: lookupItem(externalLookupKey(storefrontId, externalId), customerId), ConditionExpression: "attribute_not_exists(pk)" } },
          {
            Update: {
              TableName: tableName(),
              Key: customerKey(customerId),
              UpdateExpression: "SET external_customer_id = :external",
              ConditionExpression: "attribute_exists(pk) AND external_customer_id = :none",
              ExpressionAttributeValues: { ":external": externalId, ":none": null },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (!cancellationCodes(error)?.includes("ConditionalCheckFailed")) throw error;
  }
}

export async function getCustomer(id: number, options: { consistentRead?: boolean } = {}): Promise<CustomerRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: customerKey(id), ConsistentRead: options.consistentRead }));
  return Item ? toCustomerRecord(Item) : undefined;
}

export async function getCustomerIdByEmail(storefrontId: number, email: string): Promise<number | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: emailLookupKey(storefrontId, email) }));
  return Item ? Number(Item.ecommerce_customer_id) : undefined;
}

export async function listStorefrontCustomers(storefrontId: number, limit: number, startKey?: Record<string, unknown>) {
  const page = await queryCollectionPage(collectionOf(storefrontId), { limit, startKey });
  return { customers: page.items.map(toCustomerRecord), lastKey: page.lastKey };
}

/** Writes a customer if it is still at the version read; false when another writer got in between. */
export async function writeCustomer(next: CustomerRecord, expectedVersion: number): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: customerItem(next),
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":expected": expectedVersion },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

const summaryKey = (customerId: number, orderId: number): TableKey => ({ pk: customerKey(customerId).pk, sk: `${CUSTOMER_ORDER_PREFIX}${String(orderId).padStart(10, "0")}` });

/** What a customer's statistics need of one order. */
export interface OrderSummary {
  ecommerce_order_id: number;
  version: number;
  external_order_number: string | null;
  order_date: string;
  order_status: string;
  payment_status: string;
  is_test_order: boolean;
  currency: string;
  total_minor: number;
}

/** The customer's version moves with every summary write, so that statistics computed before it are not written (see setCustomerStats). */
const bumpCustomer = (customerId: number) => ({
  Update: {
    TableName: tableName(),
    Key: customerKey(customerId),
    UpdateExpression: "ADD #version :one",
    ConditionExpression: "attribute_exists(pk)",
    ExpressionAttributeNames: { "#version": "version" },
    ExpressionAttributeValues: { ":one": 1 },
  },
});

async function writeIfNewer(action: Record<string, unknown>, customerId: number): Promise<boolean> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: [action, bumpCustomer(customerId)] }));
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.includes("ConditionalCheckFailed")) return false;
    throw error;
  }
}

/** Puts an order's summary unless a newer version of it is there already; false when it was not written. */
export function putOrderSummary(customerId: number, summary: OrderSummary): Promise<boolean> {
  return writeIfNewer(
    {
      Put: {
        TableName: tableName(),
        Item: { ...summaryKey(customerId, summary.ecommerce_order_id), entity: "customer_order", ...summary },
        ConditionExpression: "attribute_not_exists(pk) OR #version < :version",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":version": summary.version },
      },
    },
    customerId,
  );
}

/**
 * Marks an order's summary in a customer it no longer belongs to as moved,
 * unless the summary there is newer than `version`. The marker keeps the
 * version, so that an older event arriving late cannot put the order back.
 */
export function markOrderSummaryMoved(customerId: number, orderId: number, version: number): Promise<boolean> {
  return writeIfNewer(
    {
      Put: {
        TableName: tableName(),
        Item: { ...summaryKey(customerId, orderId), entity: "customer_order", ecommerce_order_id: orderId, version, moved: true },
        ConditionExpression: "attribute_not_exists(pk) OR #version < :version",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":version": version },
      },
    },
    customerId,
  );
}

/** The summaries of the orders a customer has (a customer's orders, not a storefront's); moved ones are left out. */
export async function customerOrderSummaries(customerId: number, options: { consistentRead?: boolean } = {}): Promise<OrderSummary[]> {
  const summaries: OrderSummary[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": customerKey(customerId).pk, ":prefix": CUSTOMER_ORDER_PREFIX },
        ConsistentRead: options.consistentRead,
        ExclusiveStartKey: startKey,
      }),
    );
    summaries.push(...((page.Items ?? []).filter((item) => item.moved !== true) as unknown as OrderSummary[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return summaries;
}

/**
 * Sets a customer's statistics if the customer is still at the version read
 * before its summaries were: a summary written in between moved the version,
 * and the statistics are computed again. False in that case.
 */
export async function setCustomerStats(customerId: number, stats: Record<string, unknown>, expectedVersion: number): Promise<boolean> {
  const fields = Object.entries(stats);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: customerKey(customerId),
        // The version moves too, so that a PUT that read the customer before cannot write old statistics back.
        UpdateExpression: `SET ${fields.map((_, index) => `#f${index} = :v${index}`).join(", ")} ADD #version :one`,
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { ...Object.fromEntries(fields.map(([name], index) => [`#f${index}`, name])), "#version": "version" },
        ExpressionAttributeValues: { ...Object.fromEntries(fields.map(([, value], index) => [`:v${index}`, value])), ":one": 1, ":expected": expectedVersion },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
