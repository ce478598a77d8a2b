import { httpRoute, reply } from "../../../shared/http/handler";
import { productOperations } from "../../../shared/schemas/product";
import { updateProduct } from "../../../shared/domain/products";

export const handler = httpRoute(productOperations.update, async ({ params, body, principal }) =>
  reply(200, { message: "Product updated successfully", product: await updateProduct(params.id, body, principal) }),
);
