import { httpRoute, reply } from "../../../shared/http/handler";
import { storefrontOperations } from "../../../shared/schemas/storefront";
import { deleteStorefront } from "../../../shared/domain/storefronts";

export const handler = httpRoute(storefrontOperations.delete, async ({ params, principal }) => {
  await deleteStorefront(params.id, principal);
  return reply(200, { message: "Storefront deleted successfully" });
});
