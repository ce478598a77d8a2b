import { httpRoute, reply } from "../../../shared/http/handler";
import { shippingOperations } from "../../../shared/schemas/shipping";
import { createShippingMethod } from "../../../shared/domain/shipping";

export const handler = httpRoute(shippingOperations.create, async ({ body, principal }) =>
  reply(201, { message: "Shipping method created successfully", shipping_method: await createShippingMethod(body, principal) }),
);
