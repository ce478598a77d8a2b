/** Queues sync runs: one record and one message per (storefront, kind), from the schedule or the API. */
import { createHash, randomUUID } from "node:crypto";
import { claimActiveRun, insertRun, newRunRecord, type SyncRunRecord } from "../data/sync-runs";
import { sendBatchToQueue } from "../queues";
import type { SyncKind } from "./kinds";
import { SYNC_QUEUE, type SyncMessage } from "./queue";

/** The schedule's run of a kind at a tick: the same id however often the tick is delivered. */
export const scheduledRunId = (storefrontId: number, kind: SyncKind, tick: Date) =>
  createHash("sha256").update(`${storefrontId}:${kind}:${tick.toISOString()}`).digest("base64url").slice(0, 24);

export interface RunRequest {
  storefrontId: number;
  kind: SyncKind;
  runId: string;
}

/**
 * Records and queues the runs whose (storefront, kind) has none under way
 * (`force`: regardless). Returns the runs queued.
 */
export async function queueRuns(requests: RunRequest[], source: SyncRunRecord["source"], now: Date, force = false): Promise<SyncRunRecord[]> {
  const queued: SyncRunRecord[] = [];
  for (const request of requests) {
    if (!(await claimActiveRun(request.storefrontId, request.kind, request.runId, now, force))) continue;
    const run = newRunRecord({ run_id: request.runId, storefront_id: request.storefrontId, kind: request.kind, source, requested_at: now.toISOString() });
    if (await insertRun(run)) queued.push(run);
  }
  const messages: SyncMessage[] = queued.map((run) => ({ run_id: run.run_id }));
  if (messages.length > 0) await sendBatchToQueue(SYNC_QUEUE, messages);
  return queued;
}

export const apiRunId = () => randomUUID().replace(/-/g, "").slice(0, 24);
