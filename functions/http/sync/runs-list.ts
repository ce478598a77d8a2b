import { httpRoute, reply } from "../../../shared/http/handler";
import { syncOperations } from "../../../shared/schemas/sync";
import { listSyncRuns } from "../../../shared/sync/runs-api";

export const handler = httpRoute(syncOperations.listRuns, async ({ query, principal }) => reply(200, await listSyncRuns(query, principal)));
