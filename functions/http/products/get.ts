import { httpRoute, reply } from "../../../shared/http/handler";
import { productOperations } from "../../../shared/schemas/product";
import { readProductDetails } from "../../../shared/domain/products";

export const handler = httpRoute(productOperations.get, async ({ params, principal }) => reply(200, await readProductDetails(params.id, principal)));
