import { httpRoute, reply } from "../../../shared/http/handler";
import { categoryOperations } from "../../../shared/schemas/category";
import { createCategory } from "../../../shared/domain/categories";

export const handler = httpRoute(categoryOperations.create, async ({ body, principal }) =>
  reply(201, { message: "Category created successfully", category: await createCategory(body, principal) }),
);
