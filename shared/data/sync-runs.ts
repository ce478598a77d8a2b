/**
 * Platform sync runs: one record per (storefront, kind) run, with its progress.
 * Access patterns:
 * - a run by id (the worker) .......................... pk = SYNCRUN#<run id>, sk = SYNCRUN
 * - a storefront's runs, newest first ................. byCollection: gsi1pk = STOREFRONT#<sid>#SYNCRUNS,
 *     gsi1sk = <requested_at ISO>#<run id> (kind and status are filters)
 * - the run in progress of a storefront and kind ...... pk = STOREFRONT#<sid>, sk = SYNC#<kind>
 *     (active_run_id, active_since: the schedule queues no second run while one is under way)
 * The run id comes with the queued message, so a redelivered message finds its run and a finished run is not redone.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import { INDEXES, TTL_ATTRIBUTE } from "./table-definition";
import type { TableKey } from "./batch";
import type { SyncKind, SyncReason } from "../sync/kinds";

export const SYNC_RUN_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

/** Runs are kept this long after they were requested. */
export const SYNC_RUN_RETENTION_DAYS = 30;
/** Item errors kept on a run; the counters go on counting past them. */
export const MAX_RUN_ERRORS = 20;
/** A run marked in progress for longer than this is taken as lost (its messages dead-lettered): the schedule queues another. */
export const ACTIVE_RUN_EXPIRY_MS = 60 * 60_000;

export interface SyncProgress {
  items_seen: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: string[];
}

export interface SyncRunRecord extends SyncProgress {
  run_id: string;
  storefront_id: number;
  kind: SyncKind;
  source: "schedule" | "api";
  /** A pull from the cursor, or the daily reconciliation of the last 48 hours (absent on runs stored before reasons existed: sync). */
  reason: SyncReason;
  status: SyncRunStatus;
  /** When it was asked for: the cursor moves here once the run has succeeded. */
  requested_at: string;
  /** What it pulls from (the cursor less the overlap window); null for everything. Set when an attempt starts. */
  since: string | null;
  started_at: string | null;
  finished_at: string | null;
  attempts: number;
  last_error: string | null;
}

type Item = Record<string, unknown>;

export const emptyProgress = (): SyncProgress => ({ items_seen: 0, created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] });

const runKey = (id: string): TableKey => ({ pk: `SYNCRUN#${id}`, sk: "SYNCRUN" });
const collectionOf = (storefrontId: number) => `STOREFRONT#${storefrontId}#SYNCRUNS`;
const sortKeyOf = (run: Pick<SyncRunRecord, "requested_at" | "run_id">) => `${run.requested_at}#${run.run_id}`;
const activeKey = (storefrontId: number, kind: SyncKind): TableKey => ({ pk: `STOREFRONT#${storefrontId}`, sk: `SYNC#${kind}` });

const INTERNAL = ["pk", "sk", "gsi1pk", "gsi1sk", "entity", TTL_ATTRIBUTE];
function toRecord(item: Item): SyncRunRecord {
  const copy = { ...item };
  for (const name of INTERNAL) delete copy[name];
  copy.reason ??= "sync";
  copy.started_at ??= null;
  return copy as unknown as SyncRunRecord;
}

export const newRunRecord = (fields: Pick<SyncRunRecord, "run_id" | "storefront_id" | "kind" | "source" | "requested_at"> & { reason?: SyncReason }): SyncRunRecord => ({
  ...fields,
  reason: fields.reason ?? "sync",
  status: "queued",
  since: null,
  started_at: null,
  finished_at: null,
  attempts: 0,
  last_error: null,
  ...emptyProgress(),
});

/** Stores a queued run; false when a run with that id exists already. */
export async function insertRun(run: SyncRunRecord): Promise<boolean> {
  // No started_at until the first attempt sets it (if_not_exists): a stored null would count as set.
  const { started_at: _notYet, ...stored } = run;
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...runKey(run.run_id),
          gsi1pk: collectionOf(run.storefront_id),
          gsi1sk: sortKeyOf(run),
          entity: "sync_run",
          // Kept for the retention period from when it is recorded (a run asked for with a past time is kept as long).
          [TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + SYNC_RUN_RETENTION_DAYS * 24 * 3600,
          ...stored,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function getRun(id: string): Promise<SyncRunRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: runKey(id), ConsistentRead: true }));
  return Item ? toRecord(Item) : undefined;
}

/** An attempt begins: counters start again from zero (the domain writes are idempotent, a retried page counts once). */
export async function startAttempt(id: string, since: string | null, now: string): Promise<void> {
  const progress = emptyProgress();
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: runKey(id),
      UpdateExpression:
        "SET #status = :running, since = :since, started_at = if_not_exists(started_at, :now), items_seen = :zero, created = :zero, updated = :zero, unchanged = :zero, failed = :zero, errors = :errors ADD attempts :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":running": "running", ":since": since, ":now": now, ":zero": 0, ":errors": progress.errors, ":one": 1 },
    }),
  );
}

export async function recordProgress(id: string, progress: SyncProgress): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: runKey(id),
      UpdateExpression: "SET items_seen = :seen, created = :created, updated = :updated, unchanged = :unchanged, failed = :failed, errors = :errors",
      ExpressionAttributeValues: {
        ":seen": progress.items_seen,
        ":created": progress.created,
        ":updated": progress.updated,
        ":unchanged": progress.unchanged,
        ":failed": progress.failed,
        ":errors": progress.errors.slice(0, MAX_RUN_ERRORS),
      },
    }),
  );
}

/** The end of an attempt: succeeded or failed for good, or (status running) failed and to be tried again. */
export async function finishAttempt(id: string, result: { status: SyncRunStatus; error: string | null; now: string }): Promise<void> {
  const final = result.status === "succeeded" || result.status === "failed";
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: runKey(id),
      UpdateExpression: "SET #status = :status, last_error = :error, finished_at = :finished",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":status": result.status, ":error": result.error, ":finished": final ? result.now : null },
    }),
  );
}

export interface SyncRunFilter {
  kind?: SyncKind;
  status?: SyncRunStatus;
  reason?: SyncReason;
}

/** One Query of a storefront's runs, newest first: at most `examine` read, the matches returned with where to continue. */
export async function queryRuns(storefrontId: number, options: { filter: SyncRunFilter; examine: number; startKey?: Item }) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":collection": collectionOf(storefrontId) };
  const filters: string[] = [];
  if (options.filter.kind !== undefined) {
    filters.push("kind = :kind");
    values[":kind"] = options.filter.kind;
  }
  if (options.filter.status !== undefined) {
    filters.push("#status = :status");
    names["#status"] = "status";
    values[":status"] = options.filter.status;
  }
  if (options.filter.reason !== undefined) {
    // Runs stored before reasons existed are syncs.
    filters.push(options.filter.reason === "sync" ? "(attribute_not_exists(#reason) OR #reason = :reason)" : "#reason = :reason");
    names["#reason"] = "reason";
    values[":reason"] = options.filter.reason;
  }
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: INDEXES.byCollection.name,
      KeyConditionExpression: "gsi1pk = :collection",
      FilterExpression: filters.length > 0 ? filters.join(" AND ") : undefined,
      ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: options.examine,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { runs: (page.Items ?? []).map(toRecord), lastKey: page.LastEvaluatedKey };
}

export const runSortKey = sortKeyOf;

/** Where a list continues after `run`. */
export const runContinuationKey = (run: SyncRunRecord): Item => ({ ...runKey(run.run_id), gsi1pk: collectionOf(run.storefront_id), gsi1sk: sortKeyOf(run) });

/**
 * Marks a run as the one under way for its storefront and kind; false when
 * another (not yet expired) is. `force` takes the mark regardless (a run asked for through the API).
 */
export async function claimActiveRun(storefrontId: number, kind: SyncKind, runId: string, now: Date, force = false): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...activeKey(storefrontId, kind), entity: "sync_active_run", active_run_id: runId, active_since: now.toISOString() },
        ConditionExpression: force ? undefined : "attribute_not_exists(pk) OR active_since < :expired",
        ExpressionAttributeValues: force ? undefined : { ":expired": new Date(now.getTime() - ACTIVE_RUN_EXPIRY_MS).toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The run is over: the next schedule may queue another (unless a newer run holds the mark). */
export async function releaseActiveRun(storefrontId: number, kind: SyncKind, runId: string): Promise<void> {
  await documentClient
    .send(
      new DeleteCommand({
        TableName: tableName(),
        Key: activeKey(storefrontId, kind),
        ConditionExpression: "active_run_id = :run",
        ExpressionAttributeValues: { ":run": runId },
      }),
    )
    .catch((error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}
