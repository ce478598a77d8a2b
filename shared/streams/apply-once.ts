/**
 * Applies the counter changes of stream records exactly once.
 *
 * Stream records arrive at least once, and a batch may be retried or replayed.
 * A record's changes are written in one transaction together with a marker
 * item named after the consumer and the record's eventID, put only if absent:
 * a record applied before finds its marker, the transaction is cancelled and
 * nothing is counted twice. Markers expire after a few days, well after the
 * stream (24 hours) has dropped the record.
 *
 * Consecutive records go into one transaction (at most 100 actions: one
 * marker each plus one ADD per counter item, their changes summed), because
 * the changes of one storefront all land on the same counter item. A group
 * that meets a marker falls back to one transaction per record.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "../data/client";
import { keyString, type TableKey } from "../data/batch";
import { cancellationCodes } from "../data/transactions";
import { streamMarkerPut } from "../data/stream-markers";
import { logger } from "../logger";

export interface CounterUpdate {
  key: TableKey;
  /** Attribute name -> amount to add (negative to subtract). */
  add: Record<string, number>;
}

export interface StreamEffect {
  /** The stream record's eventID: unique per change, the same on every delivery of it. */
  eventId: string;
  updates: CounterUpdate[];
}

const MAX_TRANSACTION_ACTIONS = 100;

type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

/** Sums the updates of several records per counter item, leaving out what sums to zero. */
export function mergeUpdates(updates: CounterUpdate[]): CounterUpdate[] {
  const byKey = new Map<string, CounterUpdate>();
  for (const update of updates) {
    const merged = byKey.get(keyString(update.key)) ?? { key: update.key, add: {} };
    for (const [attribute, amount] of Object.entries(update.add)) merged.add[attribute] = (merged.add[attribute] ?? 0) + amount;
    byKey.set(keyString(update.key), merged);
  }
  return [...byKey.values()]
    .map((update) => ({ key: update.key, add: Object.fromEntries(Object.entries(update.add).filter(([, amount]) => amount !== 0)) }))
    .filter((update) => Object.keys(update.add).length > 0);
}

function actionsFor(consumer: string, effects: StreamEffect[], now: number): Actions {
  const markers: Actions = effects.map((effect) => streamMarkerPut(consumer, effect.eventId, now));
  const counters: Actions = mergeUpdates(effects.flatMap((effect) => effect.updates)).map(({ key, add }) => {
    const attributes = Object.entries(add);
    return {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: `ADD ${attributes.map((_, index) => `#a${index} :v${index}`).join(", ")}`,
        ExpressionAttributeNames: Object.fromEntries(attributes.map(([name], index) => [`#a${index}`, name])),
        ExpressionAttributeValues: Object.fromEntries(attributes.map(([, amount], index) => [`:v${index}`, amount])),
      },
    };
  });
  return [...markers, ...counters];
}

/** Consecutive effects whose markers and counter items fit in one transaction. */
function groups(effects: StreamEffect[]): StreamEffect[][] {
  const out: StreamEffect[][] = [];
  let current: StreamEffect[] = [];
  let keys = new Set<string>();
  for (const effect of effects) {
    const effectKeys = effect.updates.map((update) => keyString(update.key));
    const grown = new Set([...keys, ...effectKeys]);
    if (current.length > 0 && current.length + 1 + grown.size > MAX_TRANSACTION_ACTIONS) {
      out.push(current);
      current = [];
      keys = new Set(effectKeys);
    } else keys = grown;
    current.push(effect);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** "applied", or "already" when the marker shows an earlier delivery applied it. */
async function applyTogether(consumer: string, effects: StreamEffect[]): Promise<"applied" | "already"> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: actionsFor(consumer, effects, Date.now()) }));
    return "applied";
  } catch (error) {
    const markerFound = cancellationCodes(error)?.slice(0, effects.length).includes("ConditionalCheckFailed");
    if (markerFound) return "already";
    throw error;
  }
}

/**
 * Applies each effect once, in order. Returns the index of the first effect
 * that could not be applied (it and every later one are to be retried), or
 * undefined when all were applied or found applied already.
 */
export async function applyOnce(consumer: string, effects: StreamEffect[]): Promise<number | undefined> {
  const withUpdates = effects.map((effect, index) => ({ effect, index })).filter(({ effect }) => effect.updates.length > 0);
  let done = 0;
  for (const group of groups(withUpdates.map(({ effect }) => effect))) {
    try {
      if ((await applyTogether(consumer, group)) === "already" && group.length > 1) {
        for (const effect of group) {
          await applyTogether(consumer, [effect]);
          done += 1;
        }
      } else done += group.length;
    } catch (error) {
      const failed = withUpdates[done]!;
      logger.error("cannot apply a stream record's changes; it and the records after it will be retried", {
        consumer,
        eventId: failed.effect.eventId,
        error: error as Error,
      });
      return failed.index;
    }
  }
  return undefined;
}
