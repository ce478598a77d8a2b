import type { ScheduledEvent } from "aws-lambda";
import { runSyncSchedule } from "../../shared/sync/schedule";

/** Every minute: queue a run for each storefront and kind whose sync is due. */
export const handler = async (event: ScheduledEvent) => runSyncSchedule(new Date(event.time));
