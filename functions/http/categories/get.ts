import { httpRoute, reply } from "../../../shared/http/handler";
import { categoryOperations } from "../../../shared/schemas/category";
import { readCategory } from "../../../shared/domain/categories";

export const handler = httpRoute(categoryOperations.get, async ({ params, principal }) => reply(200, { category: await readCategory(params.id, principal) }));
