import type { ScheduledEvent } from "aws-lambda";
import { runCartSchedule } from "../../shared/carts/campaigns";

/** Every few minutes: abandon carts inactive past their storefront's threshold, then queue the recovery emails that are due. */
export const handler = async (event: ScheduledEvent) => runCartSchedule(new Date(event.time));
