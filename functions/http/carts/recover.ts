import { httpRoute, reply } from "../../../shared/http/handler";
import { cartOperations } from "../../../shared/schemas/cart";
import { recoverCarts } from "../../../shared/carts/campaigns";

export const handler = httpRoute(cartOperations.recover, async ({ body, principal }) => reply(202, await recoverCarts(body, principal)));
