import { httpRoute, reply } from "../../../shared/http/handler";
import { storefrontOperations } from "../../../shared/schemas/storefront";
import { readStorefront } from "../../../shared/domain/storefronts";

export const handler = httpRoute(storefrontOperations.get, async ({ params, principal }) =>
  reply(200, { storefront: await readStorefront(params.id, principal) }),
);
