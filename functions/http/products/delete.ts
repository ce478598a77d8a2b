import { httpRoute, reply } from "../../../shared/http/handler";
import { productOperations } from "../../../shared/schemas/product";
import { deleteProduct } from "../../../shared/domain/products";

export const handler = httpRoute(productOperations.delete, async ({ params, principal }) => {
  await deleteProduct(params.id, principal);
  return reply(200, { message: "Product deleted successfully" });
});
