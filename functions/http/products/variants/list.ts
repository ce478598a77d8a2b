import { httpRoute, reply } from "../../../../shared/http/handler";
import { variantOperations } from "../../../../shared/schemas/variant";
import { listVariants } from "../../../../shared/domain/variants";

export const handler = httpRoute(variantOperations.list, async ({ params, principal }) => reply(200, { variants: await listVariants(params.id, principal) }));
