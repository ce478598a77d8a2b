import { httpRoute, reply } from "../../../shared/http/handler";
import { shippingOperations } from "../../../shared/schemas/shipping";
import { readShippingMethod } from "../../../shared/domain/shipping";

export const handler = httpRoute(shippingOperations.get, async ({ params, principal }) => reply(200, { shipping_method: await readShippingMethod(params.id, principal) }));
