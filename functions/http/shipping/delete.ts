import { httpRoute, reply } from "../../../shared/http/handler";
import { shippingOperations } from "../../../shared/schemas/shipping";
import { removeShippingMethod } from "../../../shared/domain/shipping";

export const handler = httpRoute(shippingOperations.delete, async ({ params, principal }) => {
  await removeShippingMethod(params.id, principal);
  return reply(200, { message: "Shipping method deleted successfully" });
});
