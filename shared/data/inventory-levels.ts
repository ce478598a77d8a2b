/**
 * A platform's stock levels per location (Shopify's inventory levels): an
 * inventory item's available stock is the sum over its locations.
 * Access pattern:
 * - an inventory item's levels ... Query pk = STOREFRONT#<sid>#INVENTORY_ITEM#<id>, sk begins_with LOCATION#
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";

const partitionOf = (storefrontId: number, inventoryItemId: string) => `STOREFRONT#${storefrontId}#INVENTORY_ITEM#${inventoryItemId}`;

/**
 * Records one location's level unless a later one (by the platform's
 * updated_at) is stored already; false when it is. Then returns nothing:
 * read the total with `totalAvailable`.
 */
export async function recordLocationLevel(storefrontId: number, inventoryItemId: string, locationId: string, available: number, updatedAt: string | undefined): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: partitionOf(storefrontId, inventoryItemId), sk: `LOCATION#${locationId}`, entity: "inventory_level", location_id: locationId, available, updated_at: updatedAt ?? null },
        ...(updatedAt
          ? { ConditionExpression: "attribute_not_exists(pk) OR attribute_type(updated_at, :null) OR updated_at <= :at", ExpressionAttributeValues: { ":at": updatedAt, ":null": "NULL" } }
          : {}),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The item's available stock over every location it has a level at. */
export async function totalAvailable(storefrontId: number, inventoryItemId: string): Promise<number> {
  const { Items } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": partitionOf(storefrontId, inventoryItemId), ":prefix": "LOCATION#" },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).reduce((sum, item) => sum + Math.max(0, Number(item.available ?? 0)), 0);
}
