/**
 * Table access: existence checks and parallel batch writes, a few requests at
 * a time.
 */
import { batchGetItems, batchWriteItems, type TableKey } from "../../../shared/data/batch";

export const WRITE_CONCURRENCY = 16;
export const READ_CONCURRENCY = 8;

export async function inPool<T>(tasks: T[], limit: number, run: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) await run(tasks[next++]!);
  }));
}

export const chunksOf = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, index) => list.slice(index * size, (index + 1) * size));

/** The lookup items found among `keys`, by keyString. */
export async function existingItems(keys: TableKey[]): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  await inPool(chunksOf(keys, 500), READ_CONCURRENCY, async (chunk) => {
    for (const [key, item] of await batchGetItems(chunk, { consistentRead: true })) found.set(key, item);
  });
  return found;
}

/** Puts items with BatchWriteItem, `chunk` items a request (pairs that belong together stay in one), several requests at a time. */
export async function putAll(items: Record<string, unknown>[], chunk = 25): Promise<void> {
  await inPool(chunksOf(items, chunk), WRITE_CONCURRENCY, (group) => batchWriteItems(group.map((put) => ({ put }))));
}
