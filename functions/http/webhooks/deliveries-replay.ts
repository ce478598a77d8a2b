import { httpRoute, reply } from "../../../shared/http/handler";
import { webhookOperations } from "../../../shared/schemas/webhook";
import { replayDelivery } from "../../../shared/webhooks/deliveries";

export const handler = httpRoute(webhookOperations.replay, async ({ params, principal }) => reply(202, await replayDelivery(params.id, principal)));
