import { httpRoute, reply } from "../../../shared/http/handler";
import { cartOperations } from "../../../shared/schemas/cart";
import { upsertCart } from "../../../shared/domain/carts";
import { cartView } from "../../../shared/domain/cart-records";

export const handler = httpRoute(cartOperations.upsert, async ({ body, principal }) => {
  const outcome = await upsertCart(body, principal);
  return reply(outcome.status, { message: outcome.message, action: outcome.action, cart: cartView(outcome.cart) });
});
