import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import { INDEXES } from "./table-definition";

type Item = Record<string, unknown>;

/** One page of a collection on the byCollection index, in sort-key order. */
export async function queryCollectionPage(collection: string, options: { limit?: number; startKey?: Item; sortKeyEquals?: string } = {}) {
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: INDEXES.byCollection.name,
      KeyConditionExpression: options.sortKeyEquals ? "gsi1pk = :collection AND gsi1sk = :sk" : "gsi1pk = :collection",
      ExpressionAttributeValues: { ":collection": collection, ...(options.sortKeyEquals ? { ":sk": options.sortKeyEquals } : {}) },
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { items: page.Items ?? [], lastKey: page.LastEvaluatedKey };
}

/** Every member of a small collection (API keys, storefronts); not for collections that grow with traffic. */
export async function queryWholeCollection(collection: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await queryCollectionPage(collection, { startKey });
    items.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return items;
}
