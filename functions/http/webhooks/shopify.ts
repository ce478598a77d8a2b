import { httpRoute, reply } from "../../../shared/http/handler";
import { webhookOperations } from "../../../shared/schemas/webhook";
import { acceptDelivery } from "../../../shared/webhooks/intake";
import { incomingDelivery } from "../../../shared/webhooks/http-intake";

export const handler = httpRoute(webhookOperations.shopify, async ({ params, event }) => {
  const answer = await acceptDelivery(incomingDelivery(event, "shopify", params.storefront_code));
  return reply(answer.statusCode, answer.body);
});
