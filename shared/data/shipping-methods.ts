import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { documentClient, tableName } from "./client";
import { queryWholeCollection } from "./collections";
import type { TableKey } from "./batch";
import type { ShippingMethodRecord } from "../domain/shipping-records";

/**
 * Shipping methods, a handful per storefront.
 * Access patterns:
 * - a method by id ........................... GetItem pk = SHIPPING_METHOD#<id>, sk = SHIPPING_METHOD
 * - a storefront's methods (lists, quotes) .... byCollection: gsi1pk = STOREFRONT#<sid>#SHIPPING_METHODS, gsi1sk = SHIPPING_METHOD#<id, 10 digits>
 */
const methodKey = (id: number): TableKey => ({ pk: `SHIPPING_METHOD#${id}`, sk: "SHIPPING_METHOD" });
const collectionOf = (storefrontId: number) => `STOREFRONT#${storefrontId}#SHIPPING_METHODS`;

const INTERNAL_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "entity"];
function toRecord(item: Record<string, unknown>): ShippingMethodRecord {
  const copy = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete copy[attribute];
  return copy as unknown as ShippingMethodRecord;
}

const itemOf = (method: ShippingMethodRecord) => ({
  ...methodKey(method.shipping_method_id),
  gsi1pk: collectionOf(method.storefront_id),
  gsi1sk: `SHIPPING_METHOD#${String(method.shipping_method_id).padStart(10, "0")}`,
  entity: "shipping_method",
  ...method,
});

export async function getShippingMethod(id: number): Promise<ShippingMethodRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: methodKey(id), ConsistentRead: true }));
  return Item ? toRecord(Item) : undefined;
}

/** Every method of a storefront: the collection is small (a storefront's methods, not its orders). */
export async function listShippingMethods(storefrontId: number): Promise<ShippingMethodRecord[]> {
  return (await queryWholeCollection(collectionOf(storefrontId))).map(toRecord);
}

/** Puts a new method, or replaces one still at `expectedVersion`; false when another writer got in between. */
export async function putShippingMethod(method: ShippingMethodRecord, expectedVersion?: number): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: itemOf(method),
        ConditionExpression: expectedVersion === undefined ? "attribute_not_exists(pk)" : "#version = :expected",
        ExpressionAttributeNames: expectedVersion === undefined ? undefined : { "#version": "version" },
        ExpressionAttributeValues: expectedVersion === undefined ? undefined : { ":expected": expectedVersion },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function deleteShippingMethod(id: number): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: methodKey(id) }));
}
