import { httpRoute, reply } from "../../../shared/http/handler";
import { rawBody, readJsonBody } from "../../../shared/http/request";
import { parseWith } from "../../../shared/schemas/parse";
import { requestSyncBody, syncOperations } from "../../../shared/schemas/sync";
import { requestSync } from "../../../shared/sync/runs-api";

/** The body is optional: without one, every kind the storefront's auto_sync flags enable. */
export const handler = httpRoute(syncOperations.request, async ({ params, principal, event }) => {
  const body = rawBody(event).length === 0 ? {} : parseWith(requestSyncBody, readJsonBody(event), "body");
  return reply(202, await requestSync(params.id, body, principal));
});
