import { httpRoute, reply } from "../../../shared/http/handler";
import { storefrontOperations } from "../../../shared/schemas/storefront";
import { updateStorefront } from "../../../shared/domain/storefronts";

export const handler = httpRoute(storefrontOperations.update, async ({ params, body, principal }) =>
    reply(200, { message: "Storefront updated successfully", storefront: await updateStorefront(params.id, body, principal) }),
);
