import { httpRoute, reply } from "../../../../shared/http/handler";
import { variantOperations } from "../../../../shared/schemas/variant";
import { deleteVariant } from "../../../../shared/domain/variants";

export const handler = httpRoute(variantOperations.delete, async ({ params, principal }) => {
  await deleteVariant(params.id, params.variant_id, principal);
  return reply(200, { message: "Variant deleted successfully" });
});
