import { httpRoute, reply } from "../../../shared/http/handler";
import { analyticsOperations } from "../../../shared/schemas/analytics";
import { salesSummary } from "../../../shared/analytics/reports";

export const handler = httpRoute(analyticsOperations.salesSummary, async ({ query, principal }) => reply(200, await salesSummary(query, principal)));
