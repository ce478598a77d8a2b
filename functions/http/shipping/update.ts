import { httpRoute, reply } from "../../../shared/http/handler";
import { shippingOperations } from "../../../shared/schemas/shipping";
import { updateShippingMethod } from "../../../shared/domain/shipping";

export const handler = httpRoute(shippingOperations.update, async ({ params, body, principal }) =>
  reply(200, { message: "Shipping method updated successfully", shipping_method: await updateShippingMethod(params.id, body, principal) }),
);
