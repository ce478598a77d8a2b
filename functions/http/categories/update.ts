import { httpRoute, reply } from "../../../shared/http/handler";
import { categoryOperations } from "../../../shared/schemas/category";
import { updateCategory } from "../../../shared/domain/categories";

export const handler = httpRoute(categoryOperations.update, async ({ params, body, principal }) =>
  reply(200, { message: "Category updated successfully", category: await updateCategory(params.id, body, principal) }),
);
