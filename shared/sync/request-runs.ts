/** Queues sync runs: one record and one message per (storefront, kind), from the schedule or the API. */
import { createHash, randomUUID } from "node:crypto";
import { claimActiveRun, insertRun, newRunRecord, releaseActiveRun, type SyncRunRecord } from "../data/sync-runs";
import { sendBatchToQueue } from "../queues";
import type { SyncKind, SyncReason } from "./kinds";
import { SYNC_QUEUE, type SyncMessage } from "./queue";

const runIdOf = (seed: string) => createHash("sha256").update(seed).digest("base64url").slice(0, 24);

/** The schedule's run of a kind at a tick: the same id however often the tick is delivered. */
export const scheduledRunId = (storefrontId: number, kind: SyncKind, tick: Date) => runIdOf(`${storefrontId}:${kind}:${tick.toISOString()}`);

/** A storefront's order reconciliation of a (UTC) day: one id for the day, however often the schedule fires. */
export const reconciliationRunId = (storefrontId: number, day: Date) => runIdOf(`${storefrontId}:orders:reconciliation:${day.toISOString().slice(0, 10)}`);

export interface RunRequest {
  storefrontId: number;
  kind: SyncKind;
  runId: string;
  /** Default: sync. */
  reason?: SyncReason;
}

/**
 * Records and queues the runs whose (storefront, kind) has none under way
 * (`force`: regardless). A run whose id exists already (a tick delivered
 * twice) is not queued again. Returns the runs queued.
 */
export async function queueRuns(requests: RunRequest[], source: SyncRunRecord["source"], now: Date, force = false): Promise<SyncRunRecord[]> {
  const queued: SyncRunRecord[] = [];
  for (const request of requests) {
    if (!(await claimActiveRun(request.storefrontId, request.kind, request.runId, now, force))) continue;
    const run = newRunRecord({ run_id: request.runId, storefront_id: request.storefrontId, kind: request.kind, source, reason: request.reason, requested_at: now.toISOString() });
    if (await insertRun(run)) queued.push(run);
    // That run was queued before (and is over, or its mark would have held): the mark must not wait for it to expire.
    else await releaseActiveRun(request.storefrontId, request.kind, request.runId);
  }
  const messages: SyncMessage[] = queued.map((run) => ({ run_id: run.run_id }));
  if (messages.length > 0) await sendBatchToQueue(SYNC_QUEUE, messages);
  return queued;
}

export const apiRunId = () => randomUUID().replace(/-/g, "").slice(0, 24);
