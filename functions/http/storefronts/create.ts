import { httpRoute, reply } from "../../../shared/http/handler";
import { storefrontOperations } from "../../../shared/schemas/storefront";
import { createStorefront } from "../../../shared/domain/storefronts";

export const handler = httpRoute(storefrontOperations.create, async ({ body, principal }) => {
  const storefront = await createStorefront(body, principal);
  return reply(201, { message: "Storefront created successfully", storefront });
});
