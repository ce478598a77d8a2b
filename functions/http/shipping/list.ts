import { httpRoute, reply } from "../../../shared/http/handler";
import { shippingOperations } from "../../../shared/schemas/shipping";
import { listStorefrontShippingMethods } from "../../../shared/domain/shipping";

export const handler = httpRoute(shippingOperations.list, async ({ query, principal }) =>
  reply(200, { shipping_methods: await listStorefrontShippingMethods(query.storefront_id, principal) }),
);
