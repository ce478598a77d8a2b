import { httpRoute, reply } from "../../../shared/http/handler";
import { customerOperations } from "../../../shared/schemas/customer";
import { listCustomers } from "../../../shared/domain/customers";

export const handler = httpRoute(customerOperations.list, async ({ query, principal }) => reply(200, await listCustomers(query, principal)));
