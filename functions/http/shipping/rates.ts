import { httpRoute, reply } from "../../../shared/http/handler";
import { shippingOperations } from "../../../shared/schemas/shipping";
import { quoteRates } from "../../../shared/domain/shipping";

export const handler = httpRoute(shippingOperations.rates, async ({ body, principal }) => reply(200, await quoteRates(body, principal)));
