import { httpRoute, reply } from "../../../shared/http/handler";
import { customerOperations } from "../../../shared/schemas/customer";
import { updateCustomer } from "../../../shared/domain/customers";

export const handler = httpRoute(customerOperations.update, async ({ params, body, principal }) =>
  reply(200, { message: "Customer updated successfully", customer: await updateCustomer(params.id, body, principal) }),
);
