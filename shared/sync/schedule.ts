/**
 * The sync schedule: every minute, each active storefront with a connector
 * and a working connection gets a run queued for each enabled kind whose
 * sync_frequency_minutes have passed since its cursor.
 */
import { listEveryStorefront, type StorefrontItem } from "../data/storefronts";
import { hasConnector } from "../connectors/connector";
import { logger } from "../logger";
import { enabledKinds, isDue } from "./kinds";
import { queueRuns, scheduledRunId, type RunRequest } from "./request-runs";

export const syncsAutomatically = (storefront: StorefrontItem) =>
  storefront.is_active && hasConnector(storefront.platform_type) && storefront.connection_status !== "error";

export function dueRuns(storefronts: StorefrontItem[], now: Date): RunRequest[] {
  return storefronts
    .filter(syncsAutomatically)
    .flatMap((storefront) =>
      enabledKinds(storefront)
        .filter((kind) => isDue(storefront, kind, now))
        .map((kind) => ({ storefrontId: storefront.storefront_id, kind, runId: scheduledRunId(storefront.storefront_id, kind, now) })),
    );
}

export async function runSyncSchedule(now: Date): Promise<{ queued: number }> {
  const queued = await queueRuns(dueRuns(await listEveryStorefront(), now), "schedule", now);
  if (queued.length > 0) logger.info("sync runs queued", { count: queued.length });
  return { queued: queued.length };
}
