import { httpRoute, reply } from "../../../shared/http/handler";
import { orderOperations } from "../../../shared/schemas/order";
import { refund } from "../../../shared/domain/order-actions";

export const handler = httpRoute(orderOperations.refund, async ({ params, body, principal }) =>
  reply(200, { message: "Order refunded", order: await refund(params.id, body, principal) }),
);
