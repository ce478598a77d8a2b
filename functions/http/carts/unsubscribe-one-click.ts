import { httpRoute, reply } from "../../../shared/http/handler";
import { cartOperations } from "../../../shared/schemas/cart";
import { unsubscribe } from "../../../shared/carts/unsubscribe";

/** RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" to the link of the List-Unsubscribe header. */
export const handler = httpRoute(cartOperations.unsubscribeOneClick, async ({ query }) => {
  await unsubscribe(query.token);
  return reply(200, { message: "Unsubscribed" });
});
