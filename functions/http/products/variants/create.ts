import { httpRoute, reply } from "../../../../shared/http/handler";
import { variantOperations } from "../../../../shared/schemas/variant";
import { createVariant } from "../../../../shared/domain/variants";

export const handler = httpRoute(variantOperations.create, async ({ params, body, principal }) =>
  reply(201, { message: "Variant created successfully", ...(await createVariant(params.id, body, principal)) }),
);
