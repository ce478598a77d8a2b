import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import { INDEXES } from "./table-definition";

type Item = Record<string, unknown>;

/** Every item a Query matches, page after page (for result sets known to be small). */
export async function queryAll(input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await documentClient.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

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

/** Timestamps bounding a list; either end may be open. */
export interface DateRange {
  from?: string;
  to?: string;
}

/**
 * The key condition of a collection whose sort keys start with an ISO
 * timestamp (`<timestamp>#<id>`): a date range is a key range, and "#~" sorts
 * after every id of the last instant.
 */
export function dateRangeKeyCondition(collection: string, range: DateRange): { condition: string; values: Item } {
  const values: Item = { ":collection": collection };
  if (range.from !== undefined) values[":from"] = range.from;
  if (range.to !== undefined) values[":to"] = `${range.to}#~`;
  const condition =
    range.from !== undefined && range.to !== undefined
      ? "gsi1pk = :collection AND gsi1sk BETWEEN :from AND :to"
      : range.from !== undefined
        ? "gsi1pk = :collection AND gsi1sk >= :from"
        : range.to !== undefined
          ? "gsi1pk = :collection AND gsi1sk <= :to"
          : "gsi1pk = :collection";
  return { condition, values };
}

/** A list query's from_date/to_date as a range; a date alone as the upper bound includes that whole day. */
export function dateRangeOf(query: { from_date?: string; to_date?: string }): DateRange {
  const dateOnly = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
  return {
    from: query.from_date === undefined ? undefined : new Date(query.from_date).toISOString(),
    to: query.to_date === undefined ? undefined : dateOnly(query.to_date) ? `${query.to_date}T23:59:59.999Z` : new Date(query.to_date).toISOString(),
  };
}
