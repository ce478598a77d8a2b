import { httpRoute, reply } from "../../../shared/http/handler";
import { syncOperations } from "../../../shared/schemas/sync";
import { inventoryStatus } from "../../../shared/inventory/status";

export const handler = httpRoute(syncOperations.inventoryStatus, async ({ query, principal }) => reply(200, await inventoryStatus(query, principal)));
