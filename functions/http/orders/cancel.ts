import { httpRoute, reply } from "../../../shared/http/handler";
import { orderOperations } from "../../../shared/schemas/order";
import { cancel } from "../../../shared/domain/order-actions";

export const handler = httpRoute(orderOperations.cancel, async ({ params, body, principal }) =>
  reply(200, { message: "Order cancelled", order: await cancel(params.id, body, principal) }),
);
