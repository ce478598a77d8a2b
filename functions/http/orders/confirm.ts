import { httpRoute, reply } from "../../../shared/http/handler";
import { orderOperations } from "../../../shared/schemas/order";
import { confirm } from "../../../shared/domain/order-actions";

export const handler = httpRoute(orderOperations.confirm, async ({ params, principal }) =>
  reply(200, { message: "Order confirmed", order: await confirm(params.id, principal) }),
);
