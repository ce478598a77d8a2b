import { httpRoute, reply } from "../../../shared/http/handler";
import { categoryOperations } from "../../../shared/schemas/category";
import { listCategories } from "../../../shared/domain/categories";

export const handler = httpRoute(categoryOperations.list, async ({ query, principal }) => reply(200, await listCategories(query, principal)));
