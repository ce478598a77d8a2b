import { httpRoute, reply } from "../../../shared/http/handler";
import { analyticsOperations } from "../../../shared/schemas/analytics";
import { abandonedCartsSummary } from "../../../shared/analytics/reports";

export const handler = httpRoute(analyticsOperations.abandonedCartsSummary, async ({ query, principal }) => reply(200, await abandonedCartsSummary(query, principal)));
