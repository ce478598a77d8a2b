import { httpRoute, reply } from "../../../shared/http/handler";
import { webhookOperations } from "../../../shared/schemas/webhook";
import { acceptDelivery } from "../../../shared/webhooks/intake";
import { incomingDelivery } from "../../../shared/webhooks/http-intake";

export const handler = httpRoute(webhookOperations.generic, async ({ body, event }) => {
  const answer = await acceptDelivery(incomingDelivery(event, "generic", body.storefront_code), () => body.webhook_event);
  return reply(answer.statusCode, answer.body);
});
