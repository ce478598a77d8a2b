import { httpRoute, reply } from "../../shared/http/handler";
import { buildOpenApiDocument } from "../../shared/api/openapi";
import { openApiOperation } from "../../shared/api/openapi-operation";
import { httpOperations } from "../../infra/wiring";

const document = buildOpenApiDocument(httpOperations(), { title: "Ocean Commerce Hub API", version: "1.0.0" });

export const handler = httpRoute(openApiOperation, async () => reply(200, document));
