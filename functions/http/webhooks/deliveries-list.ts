import { httpRoute, reply } from "../../../shared/http/handler";
import { webhookOperations } from "../../../shared/schemas/webhook";
import { listDeliveries } from "../../../shared/webhooks/deliveries";

export const handler = httpRoute(webhookOperations.listDeliveries, async ({ query, principal }) => reply(200, await listDeliveries(query, principal)));
