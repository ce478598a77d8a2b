import { httpRoute, reply } from "../../../shared/http/handler";
import { orderOperations } from "../../../shared/schemas/order";
import { readOrder } from "../../../shared/domain/orders";

export const handler = httpRoute(orderOperations.get, async ({ params, principal }) => reply(200, { order: await readOrder(params.id, principal) }));
