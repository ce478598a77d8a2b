import { httpRoute, reply } from "../../../shared/http/handler";
import { cartOperations } from "../../../shared/schemas/cart";
import { readCart } from "../../../shared/domain/carts";

export const handler = httpRoute(cartOperations.get, async ({ params, principal }) => reply(200, { cart: await readCart(params.id, principal) }));
