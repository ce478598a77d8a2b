import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { documentClient, tableName } from "./client";
import { batchGetItems, keyString, type TableKey } from "./batch";
import { cancellationCodes } from "./transactions";
import { INDEXES } from "./table-definition";
import type { CategoryRecord } from "../domain/category-records";

/**
 * Categories of a storefront.
 * Access patterns:
 * - a category with its product count .................. Query pk = CATEGORY#<id> (sk = CATEGORY | STATS)
 * - resolve (storefront, external_category_id) ......... GetItem pk = STOREFRONT#<sid>#EXTCATEGORY#<external id>, sk = LOOKUP
 * - the children of an external category id, even
 *   before that category exists ......................... Query pk = STOREFRONT#<sid>#EXTCATEGORY#<external parent id>, sk begins_with CHILD#
 * - a storefront's categories in id order .............. byCollection: gsi1pk = STOREFRONT#<sid>#CATEGORIES, gsi1sk = CATEGORY#<id, 10 digits>
 * - product counts of a page of categories ............. BatchGetItem pk = CATEGORY#<id>, sk = STATS
 *     (product_count, kept by the catalog-counters stream processor: a small item of its own, as hot counters should be)
 */
export const categoryKey = (id: number): TableKey => ({ pk: `CATEGORY#${id}`, sk: "CATEGORY" });
export const categoryStatsKey = (id: number): TableKey => ({ pk: `CATEGORY#${id}`, sk: "STATS" });
const externalPartition = (storefrontId: number, externalId: string) => `STOREFRONT#${storefrontId}#EXTCATEGORY#${externalId}`;
const lookupKey = (storefrontId: number, externalId: string): TableKey => ({ pk: externalPartition(storefrontId, externalId), sk: "LOOKUP" });
const CHILD_PREFIX = "CHILD#";
const padded = (id: number) => String(id).padStart(10, "0");
const childLinkKey = (category: CategoryRecord): TableKey => ({
  pk: externalPartition(category.storefront_id, category.external_parent_id!),
  sk: `${CHILD_PREFIX}${padded(category.ecommerce_category_id)}`,
});
const collectionOf = (storefrontId: number) => `STOREFRONT#${storefrontId}#CATEGORIES`;

type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

export function toCategoryRecord(item: Record<string, unknown>): CategoryRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, entity: _entity, ...record } = item;
  return record as unknown as CategoryRecord;
}

const categoryItem = (category: CategoryRecord) => ({
  ...categoryKey(category.ecommerce_category_id),
  gsi1pk: collectionOf(category.storefront_id),
  gsi1sk: `CATEGORY#${padded(category.ecommerce_category_id)}`,
  entity: "category",
  ...category,
});

const linkToParent = (category: CategoryRecord): Actions =>
  category.external_parent_id
    ? [{ Put: { TableName: tableName(), Item: { ...childLinkKey(category), entity: "category_child", ecommerce_category_id: category.ecommerce_category_id } } }]
    : [];

const unlinkFromParent = (category: CategoryRecord): Actions =>
  category.external_parent_id ? [{ Delete: { TableName: tableName(), Key: childLinkKey(category) } }] : [];

const versionIs = (expected: number) => ({
  ConditionExpression: "#version = :expected",
  ExpressionAttributeNames: { "#version": "version" },
  ExpressionAttributeValues: { ":expected": expected },
});

/** Creates a category, claims its external id and links it under its parent's external id, in one transaction. */
export async function insertCategory(category: CategoryRecord): Promise<"created" | "duplicate"> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...lookupKey(category.storefront_id, category.external_category_id), entity: "category_lookup", ecommerce_category_id: category.ecommerce_category_id },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          { Put: { TableName: tableName(), Item: categoryItem(category), ConditionExpression: "attribute_not_exists(pk)" } },
          ...linkToParent(category),
        ],
      }),
    );
    return "created";
  } catch (error) {
    if (cancellationCodes(error)?.[0] === "ConditionalCheckFailed") return "duplicate";
    throw error;
  }
}

/** Replaces a category still at `previous.version`, moving its link when the parent changes; false when it changed meanwhile. */
export async function replaceCategory(previous: CategoryRecord, next: CategoryRecord): Promise<boolean> {
  const parentMoves = previous.external_parent_id !== next.external_parent_id;
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: categoryItem(next), ...versionIs(previous.version) } },
          ...(parentMoves ? [...unlinkFromParent(previous), ...linkToParent(next)] : []),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === "ConditionalCheckFailed") return false;
    throw error;
  }
}

/** Sets the path of a category still at `expectedVersion`; false when it changed meanwhile. */
export async function setCategoryPath(id: number, path: string, expectedVersion: number, now: string): Promise<boolean> {
  const condition = versionIs(expectedVersion);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: categoryKey(id),
        UpdateExpression: "SET category_path = :path, updated_at = :now ADD #version :one",
        ConditionExpression: condition.ConditionExpression,
        ExpressionAttributeNames: condition.ExpressionAttributeNames,
        ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ":path": path, ":now": now, ":one": 1 },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export type DeleteCategoryOutcome = "deleted" | "changed" | "has_products";

/** Deletes a category still at the version read whose product count is zero, with its claim, its link and its counter. */
export async function deleteCategoryRecords(category: CategoryRecord): Promise<DeleteCategoryOutcome> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: tableName(), Key: categoryKey(category.ecommerce_category_id), ...versionIs(category.version) } },
          {
            Delete: {
              TableName: tableName(),
              Key: categoryStatsKey(category.ecommerce_category_id),
              ConditionExpression: "attribute_not_exists(pk) OR product_count <= :none",
              ExpressionAttributeValues: { ":none": 0 },
            },
          },
          { Delete: { TableName: tableName(), Key: lookupKey(category.storefront_id, category.external_category_id) } },
          ...unlinkFromParent(category),
        ],
      }),
    );
    return "deleted";
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === "ConditionalCheckFailed") return "changed";
    if (codes?.[1] === "ConditionalCheckFailed") return "has_products";
    throw error;
  }
}

export async function getCategory(id: number): Promise<CategoryRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: categoryKey(id), ConsistentRead: true }));
  return Item ? toCategoryRecord(Item) : undefined;
}

/** The category and its product count: one Query on its partition. */
export async function getCategoryWithCount(id: number): Promise<{ category: CategoryRecord; productCount: number } | undefined> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": categoryKey(id).pk }, ConsistentRead: true }),
  );
  const item = Items.find((candidate) => candidate.sk === "CATEGORY");
  if (!item) return undefined;
  return { category: toCategoryRecord(item), productCount: Number(Items.find((candidate) => candidate.sk === "STATS")?.product_count ?? 0) };
}

export async function getCategoryByExternalId(storefrontId: number, externalId: string): Promise<CategoryRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: lookupKey(storefrontId, externalId), ConsistentRead: true }));
  return Item ? getCategory(Number(Item.ecommerce_category_id)) : undefined;
}

/** Ids of the categories whose external_parent_id is `externalId`, whether or not that category exists. */
export async function getChildCategoryIds(storefrontId: number, externalId: string, limit?: number): Promise<number[]> {
  const ids: number[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :child)",
        ExpressionAttributeValues: { ":pk": externalPartition(storefrontId, externalId), ":child": CHILD_PREFIX },
        ConsistentRead: true,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    ids.push(...(page.Items ?? []).map((item) => Number(item.ecommerce_category_id)));
    startKey = limit !== undefined && ids.length >= limit ? undefined : page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}

export async function listStorefrontCategories(storefrontId: number, limit: number, afterId?: number) {
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: INDEXES.byCollection.name,
      KeyConditionExpression: afterId === undefined ? "gsi1pk = :collection" : "gsi1pk = :collection AND gsi1sk > :after",
      ExpressionAttributeValues: { ":collection": collectionOf(storefrontId), ...(afterId === undefined ? {} : { ":after": `CATEGORY#${padded(afterId)}` }) },
      Limit: limit,
    }),
  );
  const categories = (page.Items ?? []).map(toCategoryRecord);
  return { categories, hasMore: page.LastEvaluatedKey !== undefined };
}

/** Product counts of many categories (BatchGetItem); categories never counted read as zero. */
export async function getCategoryProductCounts(ids: number[]): Promise<Map<number, number>> {
  const items = await batchGetItems(ids.map(categoryStatsKey));
  return new Map(ids.map((id) => [id, Number(items.get(keyString(categoryStatsKey(id)))?.product_count ?? 0)]));
}
