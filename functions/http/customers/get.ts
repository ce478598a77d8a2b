import { httpRoute, reply } from "../../../shared/http/handler";
import { customerOperations } from "../../../shared/schemas/customer";
import { readCustomer } from "../../../shared/domain/customers";

export const handler = httpRoute(customerOperations.get, async ({ params, principal }) => reply(200, { customer: await readCustomer(params.id, principal) }));
