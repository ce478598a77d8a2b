/**
 * The sync schedule: every minute, each active storefront with a connector
 * and a working connection gets a run queued for each enabled kind whose
 * sync_frequency_minutes have passed since its cursor, and, once a day, an
 * order reconciliation (the orders updated in the last 48 hours, whatever
 * the cursor). A reconciliation waits for an order run under way to end: it
 * is queued at the first tick that finds none.
 */
import { listEveryStorefront, markOrderReconciliation, type StorefrontItem } from "../data/storefronts";
import { hasConnector } from "../connectors/connector";
import { logger } from "../logger";
import { enabledKinds, isDue, isReconciliationDue } from "./kinds";
import { queueRuns, reconciliationRunId, scheduledRunId, type RunRequest } from "./request-runs";

/**
 * Synced by the schedule: active, on a platform with a connector, and not
 * refused by the platform. A storefront whose platform could not be reached
 * (or answered with an error) goes on syncing: the first run that succeeds
 * clears the error. Errors stored without a kind are refusals.
 */
export const syncsAutomatically = (storefront: StorefrontItem) =>
  storefront.is_active &&
  hasConnector(storefront.platform_type) &&
  !(storefront.connection_status === "error" && storefront.connection_failure !== "platform_error");

export function dueRuns(storefronts: StorefrontItem[], now: Date): RunRequest[] {
  return storefronts.filter(syncsAutomatically).flatMap((storefront) => [
    ...enabledKinds(storefront)
      .filter((kind) => isDue(storefront, kind, now))
      .map((kind) => ({ storefrontId: storefront.storefront_id, kind, runId: scheduledRunId(storefront.storefront_id, kind, now) })),
    ...(isReconciliationDue(storefront, now)
      ? [{ storefrontId: storefront.storefront_id, kind: "orders" as const, runId: reconciliationRunId(storefront.storefront_id, now), reason: "reconciliation" as const }]
      : []),
  ]);
}

export async function runSyncSchedule(now: Date): Promise<{ queued: number }> {
  const queued = await queueRuns(dueRuns(await listEveryStorefront(), now), "schedule", now);
  for (const run of queued) {
    if (run.reason === "reconciliation") await markOrderReconciliation(run.storefront_id, run.requested_at, new Date().toISOString());
  }
  if (queued.length > 0) logger.info("sync runs queued", { count: queued.length, reconciliations: queued.filter((run) => run.reason === "reconciliation").length });
  return { queued: queued.length };
}
