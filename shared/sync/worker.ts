/**
 * The sync worker: for each queued run, pulls the platform's changes and
 * applies them, then moves the storefront's cursor to the time the run was
 * asked for, only once the whole run has succeeded (a failed run leaves it
 * where it was, so the next run pulls the same changes again).
 *
 * - A finished run is not redone: a redelivered message does nothing.
 * - A reconciliation (the daily pull of the orders updated in the last 48
 *   hours) pulls its own window and leaves the cursor where it is.
 * - The platform refusing the credentials ends the run (failed, no retry) and
 *   sets the storefront's connection_status to error with the platform's
 *   message: the schedule leaves it alone until the credentials are replaced
 *   (replacing them tests the connection again).
 * - Any other failure is retried with exponential backoff and jitter (the message's
 *   visibility is pushed out); on the queue's last receive the run is marked
 *   failed and the message goes to the dead-letter queue.
 */
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { ConnectorError, connectorFor, CredentialsRejected, hasConnector, type PlatformConnector } from "../connectors/connector";
import { advanceSyncCursor, getStorefront, markConnectionRejected, markOrderReconciliation, type StorefrontItem } from "../data/storefronts";
import { finishAttempt, getRun, recordProgress, releaseActiveRun, startAttempt, type SyncProgress, type SyncRunRecord } from "../data/sync-runs";
import { backoffSeconds, retryAfter } from "../queues";
import { logger } from "../logger";
import { pullSince, reconciliationSince, SYNC_CURSOR_FIELD } from "./kinds";
import { pullChanges } from "./pull";
import { SYNC_MAX_RECEIVES, SYNC_QUEUE, type SyncMessage } from "./queue";
import { syncsAutomatically } from "./schedule";

const BACKOFF_BASE_SECONDS = 2;
const BACKOFF_MAX_SECONDS = 300;

/**
 * A reason the run cannot be carried out at all (the storefront changed since
 * it was queued). A run asked for through the API may test a connection in error again.
 */
function unsyncable(storefront: StorefrontItem | undefined, run: SyncRunRecord): string | undefined {
  if (!storefront) return `storefront ${run.storefront_id} no longer exists`;
  if (!storefront.is_active) return `storefront ${run.storefront_id} is inactive`;
  if (!hasConnector(storefront.platform_type)) return `there is no connector for platform ${storefront.platform_type}`;
  if (run.source === "schedule" && !syncsAutomatically(storefront)) return `storefront ${run.storefront_id}'s credentials were refused by the platform`;
  return undefined;
}

/** What a failure says on the run: connector errors carry the platform's words (never a credential); others only their kind. */
const describe = (error: unknown) => (error instanceof ConnectorError ? error.message : `${(error as Error).name ?? "Error"}: processing failed`);

async function finish(run: SyncRunRecord, status: "succeeded" | "failed", error: string | null): Promise<void> {
  await finishAttempt(run.run_id, { status, error, now: new Date().toISOString() });
  await releaseActiveRun(run.storefront_id, run.kind, run.run_id);
}

/** Where the run pulls from: a reconciliation from a fixed window before it was asked for, any other run from its cursor. */
const sinceOf = (run: SyncRunRecord, storefront: StorefrontItem) =>
  run.reason === "reconciliation" ? reconciliationSince(run.requested_at) : pullSince(storefront[SYNC_CURSOR_FIELD[run.kind]]);

/**
 * One attempt of a run with a given connector, from its starting point to the
 * cursor moved and the run finished; `onPage` hears of its progress too.
 */
export async function carryOutRun(
  run: SyncRunRecord,
  storefront: StorefrontItem,
  connector: PlatformConnector,
  onPage: (progress: SyncProgress) => Promise<void> = async () => undefined,
): Promise<void> {
  const since = sinceOf(run, storefront);
  await startAttempt(run.run_id, since, new Date().toISOString());
  await pullChanges(run.storefront_id, run.kind, connector, since, async (progress) => {
    await recordProgress(run.run_id, progress);
    await onPage(progress);
  });
  // A reconciliation leaves the cursor alone: it pulled a window of its own, which may start far before the cursor.
  if (run.reason !== "reconciliation") {
    await advanceSyncCursor(run.storefront_id, SYNC_CURSOR_FIELD[run.kind], run.requested_at, new Date().toISOString());
    // A full order sync reconciles every order: the daily reconciliation counts from it.
    if (run.kind === "orders" && since === null) await markOrderReconciliation(run.storefront_id, run.requested_at, new Date().toISOString());
  }
  await finish(run, "succeeded", null);
}

async function processRecord(record: SQSRecord): Promise<boolean> {
  const { run_id: runId } = JSON.parse(record.body) as SyncMessage;
  const run = await getRun(runId);
  // Expired, or finished by an earlier receive of the same message.
  if (!run || run.status === "succeeded" || run.status === "failed") return true;
  const storefront = await getStorefront(run.storefront_id);
  const refusal = unsyncable(storefront, run);
  if (refusal) {
    await finish(run, "failed", refusal);
    return true;
  }
  const receives = Number(record.attributes.ApproximateReceiveCount ?? 1);
  try {
    await carryOutRun(run, storefront!, connectorFor(storefront!));
    return true;
  } catch (error) {
    if (error instanceof CredentialsRejected) {
      logger.warn("the platform refused a storefront's credentials", { runId, storefrontId: run.storefront_id, status: error.status });
      await markConnectionRejected(run.storefront_id, error.platformMessage, new Date().toISOString());
      await finish(run, "failed", error.message);
      return true;
    }
    const last = receives >= SYNC_MAX_RECEIVES;
    logger.warn("a sync run failed", { runId, kind: run.kind, storefrontId: run.storefront_id, receives, last, error: error as Error });
    if (last) await finish(run, "failed", describe(error));
    else await finishAttempt(run.run_id, { status: "running", error: describe(error), now: new Date().toISOString() });
    // Out of tries: visible again at once, so that the queue's redrive moves it to the dead-letter queue now.
    const seconds = last ? 0 : backoffSeconds(receives, { base: BACKOFF_BASE_SECONDS, max: BACKOFF_MAX_SECONDS });
    await retryAfter(SYNC_QUEUE, record.receiptHandle, seconds).catch((visibilityError) =>
      logger.warn("cannot set the retry delay; the queue's visibility timeout applies", { runId, error: visibilityError as Error }),
    );
    return false;
  }
}

/** Runs are independent (different storefronts or kinds): processed side by side. */
export async function processSyncMessages(records: SQSRecord[]): Promise<SQSBatchResponse> {
  const outcomes = await Promise.all(
    records.map(async (record) => {
      try {
        return await processRecord(record);
      } catch (error) {
        logger.error("a sync message could not be handled; it will be retried", { messageId: record.messageId, error: error as Error });
        return false;
      }
    }),
  );
  return { batchItemFailures: records.flatMap((record, index) => (outcomes[index] ? [] : [{ itemIdentifier: record.messageId }])) };
}
