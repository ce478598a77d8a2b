import { httpRoute, reply } from "../../../shared/http/handler";
import { analyticsOperations } from "../../../shared/schemas/analytics";
import { productSyncStatus } from "../../../shared/analytics/reports";

export const handler = httpRoute(analyticsOperations.productSyncStatus, async ({ query, principal }) => reply(200, await productSyncStatus(query, principal)));
