import { httpRoute, reply } from "../../../shared/http/handler";
import { analyticsOperations } from "../../../shared/schemas/analytics";
import { periodAnalytics } from "../../../shared/analytics/period-analytics";

export const handler = httpRoute(analyticsOperations.analytics, async ({ query, principal }) => reply(200, await periodAnalytics(query, principal)));
