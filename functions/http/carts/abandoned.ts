import { httpRoute, reply } from "../../../shared/http/handler";
import { cartOperations } from "../../../shared/schemas/cart";
import { listAbandonedCarts } from "../../../shared/domain/abandoned-carts";

export const handler = httpRoute(cartOperations.listAbandoned, async ({ query, principal }) => reply(200, await listAbandonedCarts(query, principal)));
