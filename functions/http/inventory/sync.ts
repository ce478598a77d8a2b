import { httpRoute, reply } from "../../../shared/http/handler";
import { syncOperations } from "../../../shared/schemas/sync";
import { syncInventory } from "../../../shared/inventory/sync";

export const handler = httpRoute(syncOperations.inventorySync, async ({ body, principal }) => reply(200, await syncInventory(body, principal)));
