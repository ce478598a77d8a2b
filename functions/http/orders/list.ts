import { httpRoute, reply } from "../../../shared/http/handler";
import { orderOperations } from "../../../shared/schemas/order";
import { listOrders } from "../../../shared/domain/order-list";

export const handler = httpRoute(orderOperations.list, async ({ query, principal }) => reply(200, await listOrders(query, principal)));
