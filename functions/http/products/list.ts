import { httpRoute, reply } from "../../../shared/http/handler";
import { productOperations } from "../../../shared/schemas/product";
import { listProducts } from "../../../shared/domain/product-list";

export const handler = httpRoute(productOperations.list, async ({ query, principal }) => reply(200, await listProducts(query, principal)));
