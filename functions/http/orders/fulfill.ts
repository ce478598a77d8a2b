import { httpRoute, reply } from "../../../shared/http/handler";
import { orderOperations } from "../../../shared/schemas/order";
import { fulfill } from "../../../shared/domain/order-actions";

export const handler = httpRoute(orderOperations.fulfill, async ({ params, body, principal }) =>
  reply(200, { message: "Order fulfilled", order: await fulfill(params.id, body, principal) }),
);
