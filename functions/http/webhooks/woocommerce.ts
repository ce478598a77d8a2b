import { httpRoute, reply } from "../../../shared/http/handler";
import { header, rawBody } from "../../../shared/http/request";
import { webhookOperations } from "../../../shared/schemas/webhook";
import { acceptDelivery } from "../../../shared/webhooks/intake";
import { incomingDelivery } from "../../../shared/webhooks/http-intake";

/** WooCommerce pings a new webhook's URL with an unsigned form body `webhook_id=<id>` and no topic. */
const isPing = (topic: string | undefined, body: Buffer) => topic === undefined && /^webhook_id=\d+$/.test(body.toString("utf8").trim());

export const handler = httpRoute(webhookOperations.woocommerce, async ({ params, event }) => {
  if (isPing(header(event, "x-wc-webhook-topic"), rawBody(event))) return reply(200, { message: "Ping received", delivery_id: null, duplicate: false });
  const answer = await acceptDelivery(incomingDelivery(event, "woocommerce", params.storefront_code));
  return reply(answer.statusCode, answer.body);
});
