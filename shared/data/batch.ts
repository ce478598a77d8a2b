import { BatchGetCommand, BatchWriteCommand, type BatchGetCommandOutput } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";

export interface TableKey {
  pk: string;
  sk: string;
}

type Item = Record<string, unknown>;

const MAX_KEYS_PER_GET = 100;
const MAX_ITEMS_PER_WRITE = 25;

export const keyString = (key: TableKey): string => `${key.pk}\u0000${key.sk}`;

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));

/**
 * Reads many items by key (BatchGetItem, 100 keys a request, unprocessed keys
 * retried). Returns the items found, by `keyString(key)`; absent items are
 * simply not in the map.
 */
export async function batchGetItems(keys: TableKey[], options: { consistentRead?: boolean } = {}): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((key) => [keyString(key), { pk: key.pk, sk: key.sk }])).values()];
  for (let start = 0; start < unique.length; start += MAX_KEYS_PER_GET) {
    let pending: Item[] | undefined = unique.slice(start, start + MAX_KEYS_PER_GET);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await pause(attempt);
      const out: BatchGetCommandOutput = await documentClient.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: options.consistentRead } } }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) found.set(keyString(item as TableKey), item);
      pending = out.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return found;
}

/** Puts and deletes many items without a transaction (BatchWriteItem, 25 a request, unprocessed items retried). */
export async function batchWriteItems(writes: { put?: Item; delete?: TableKey }[]): Promise<void> {
  const requests = writes.map((write) => (write.put ? { PutRequest: { Item: write.put } } : { DeleteRequest: { Key: { pk: write.delete!.pk, sk: write.delete!.sk } } }));
  for (let start = 0; start < requests.length; start += MAX_ITEMS_PER_WRITE) {
    let pending: typeof requests | undefined = requests.slice(start, start + MAX_ITEMS_PER_WRITE);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await pause(attempt);
      const out = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = out.UnprocessedItems?.[tableName()] as typeof requests | undefined;
    }
  }
}
