/** The sync API: the list of runs (newest first, across the storefronts in scope) and a sync asked for now. */
import { BadRequestError } from "../http/errors";
import { hasConnector } from "../connectors/connector";
import { queryRuns, runContinuationKey, runSortKey, type SyncRunFilter, type SyncRunRecord } from "../data/sync-runs";
import { newestFirstPage, type MergeSource } from "../domain/newest-first-merge";
import { storefrontsInScope } from "../domain/storefront-scope";
import { findStorefront } from "../domain/storefronts";
import type { Principal } from "../domain/roles";
import type { ListSyncRunsQuery, RequestSyncInput } from "../schemas/sync";
import type { StorefrontRef } from "../domain/storefronts";
import { enabledKinds } from "./kinds";
import { apiRunId, queueRuns } from "./request-runs";

export async function listSyncRuns(query: ListSyncRunsQuery, principal: Principal) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const filter: SyncRunFilter = { kind: query.kind, status: query.status, reason: query.reason };
  const source: MergeSource<SyncRunRecord> = {
    read: async (storefrontId, examine, startKey) => {
      const page = await queryRuns(storefrontId, { filter, examine, startKey });
      return { records: page.runs, lastKey: page.lastKey };
    },
    sortKeyOf: runSortKey,
    continuationKeyOf: runContinuationKey,
    filtered: filter.kind !== undefined || filter.status !== undefined || filter.reason !== undefined,
  };
  const page = await newestFirstPage(source, scope.map((storefront) => storefront.storefront_id), query.cursor, 0, query.limit);
  return { runs: page.records, next_cursor: page.nextCursor };
}

/** Queues a run of each kind asked for (default: those enabled), even when one is under way already. */
export async function requestSync(ref: StorefrontRef, input: RequestSyncInput, principal: Principal) {
  const storefront = await findStorefront(ref, principal);
  if (!hasConnector(storefront.platform_type)) {
    throw new BadRequestError("no_connector", `Storefront ${storefront.storefront_id} is on ${storefront.platform_type}, which the hub has no connector for`);
  }
  if (!storefront.is_active) throw new BadRequestError("storefront_inactive", `Storefront ${storefront.storefront_id} is inactive`);
  const kinds = input.kinds ? [...new Set(input.kinds)] : enabledKinds(storefront);
  if (kinds.length === 0) {
    throw new BadRequestError("nothing_to_sync", `Storefront ${storefront.storefront_id} has every auto_sync flag off; name the kinds to sync`, [
      { field: "body.kinds", message: "is required when no kind is enabled" },
    ]);
  }
  const runs = await queueRuns(
    kinds.map((kind) => ({ storefrontId: storefront.storefront_id, kind, runId: apiRunId() })),
    "api",
    new Date(),
    true,
  );
  return { message: "Sync queued", runs: runs.map((run) => ({ run_id: run.run_id, kind: run.kind })) };
}
