import { httpRoute, reply } from "../../../shared/http/handler";
import { storefrontOperations } from "../../../shared/schemas/storefront";
import { listStorefrontViews } from "../../../shared/domain/storefronts";

export const handler = httpRoute(storefrontOperations.list, async ({ query, principal }) =>
  reply(200, await listStorefrontViews(query, principal)),
);
