import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type * as v from "valibot";
import { logger } from "../logger";
import { roleAllows, type Principal, type Role } from "../domain/roles";
import { parseWith } from "../schemas/parse";
import { ForbiddenError, UnauthorizedError, errorBody } from "./errors";
import { header, readJsonBody } from "./request";
import { principalOf } from "./principal";
import type { Operation } from "../api/operation";

type Out<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

export interface HttpRequest<O extends Operation, P> {
  body: Out<O["body"]>;
  query: Out<O["query"]>;
  params: Out<O["params"]>;
  principal: P;
  event: APIGatewayProxyEventV2;
}

export interface HttpReply {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as it is (with its own content-type header) instead of as JSON. */
  raw?: boolean;
}

export const reply = (statusCode: number, body: unknown, headers?: Record<string, string>): HttpReply => ({ statusCode, body, headers });

/** A page for people rather than programs (the unsubscribe link opened in a browser). */
export const htmlReply = (statusCode: number, html: string): HttpReply => ({ statusCode, body: html, headers: { "content-type": "text/html; charset=utf-8" }, raw: true });

/** Routes that need a role always have a caller; public routes may not. */
type CallerOf<O extends Operation> = O["role"] extends Role ? Principal : Principal | undefined;

type HttpHandler = middy.MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

/**
 * Builds the Lambda handler of one operation: correlation id and structured
 * logging, the API key's role check, JSON body and query/path validation with
 * the operation's schemas, and one error handler that maps typed errors to
 * `{"error": {...}}` and hides internals.
 */
export function httpRoute<O extends Operation>(operation: O, fn: (request: HttpRequest<O, CallerOf<O>>) => Promise<HttpReply>): HttpHandler {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationId())
    .use(jsonErrors())
    .handler(async (event) => {
      const principal = principalOf(event);
      if (operation.role) {
        if (!principal) throw new UnauthorizedError();
        if (!roleAllows(principal.role, operation.role)) {
          throw new ForbiddenError(`This route needs an API key with the ${operation.role} role`);
        }
      }
      const request = {
        body: operation.body ? parseWith(operation.body, readJsonBody(event, operation.bodyLimitBytes), "body") : undefined,
        query: operation.query ? parseWith(operation.query, event.queryStringParameters ?? {}, "query") : undefined,
        params: operation.params ? parseWith(operation.params, event.pathParameters ?? {}, "path") : undefined,
        principal,
        event,
      } as HttpRequest<O, CallerOf<O>>;
      return toResult(await fn(request));
    });
}

function toResult({ statusCode, body, headers, raw }: HttpReply): APIGatewayProxyStructuredResultV2 {
  if (raw) return { statusCode, headers: { ...headers }, body: String(body) };
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? "" : JSON.stringify(body),
  };
}

function correlationId(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  const idOf = (event: APIGatewayProxyEventV2) => header(event, "x-correlation-id") ?? event.requestContext?.requestId ?? "unknown";
  const stamp = (request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>) => {
    if (request.response) request.response.headers = { ...request.response.headers, "x-correlation-id": idOf(request.event) };
    logger.info("request completed", { status: request.response?.statusCode });
  };
  return {
    before: (request) => {
      logger.appendKeys({ correlation_id: idOf(request.event), route: request.event.routeKey });
    },
    after: stamp,
    onError: stamp,
  };
}

function jsonErrors(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  return {
    onError: (request) => {
      const { statusCode, body } = errorBody(request.error);
      if (statusCode >= 500) logger.error("request failed", request.error as Error);
      else logger.info("request rejected", { code: body.error.code });
      request.response = toResult({ statusCode, body });
    },
  };
}
