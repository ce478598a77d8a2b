import { httpRoute, reply } from "../../../shared/http/handler";
import { categoryOperations } from "../../../shared/schemas/category";
import { deleteCategory } from "../../../shared/domain/categories";

export const handler = httpRoute(categoryOperations.delete, async ({ params, principal }) => {
  await deleteCategory(params.id, principal);
  return reply(200, { message: "Category deleted successfully" });
});
