import { httpRoute, reply } from "../../../../shared/http/handler";
import { variantOperations } from "../../../../shared/schemas/variant";
import { updateVariant } from "../../../../shared/domain/variants";

export const handler = httpRoute(variantOperations.update, async ({ params, body, principal }) =>
  reply(200, { message: "Variant updated successfully", ...(await updateVariant(params.id, params.variant_id, body, principal)) }),
);
