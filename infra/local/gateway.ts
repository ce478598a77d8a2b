/**
 * A local stand-in for API Gateway (HTTP API, payload format 2.0): it matches
 * the wiring's routes, runs the API key authorizer the way API Gateway does
 * (identity source, simple responses, result cache), turns each request into
 * the exact event Lambda receives and the handler's result back into HTTP.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { FunctionSpec } from "../wiring";
import { invoke, type LoadedHandler } from "./invoke";

/** API Gateway's own limit for HTTP API payloads. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const API_ID = "local";

export interface Route {
  spec: FunctionSpec;
  handler: LoadedHandler;
  method: string;
  path: string;
  needsAuthorizer: boolean;
}

export interface Authorizer {
  spec: FunctionSpec;
  handler: LoadedHandler;
  identityHeader: string;
  cacheTtlSeconds: number;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(param[1]!);
      return "([^/]+)";
    })
    .join("/");
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

/** Static segments beat parameters, as in API Gateway's route selection. */
function specificity(route: CompiledRoute): number {
  return route.path.split("/").filter((segment) => !segment.startsWith("{")).length;
}

const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|x-www-form-urlencoded|xml|.*\+xml|javascript))/i;

export interface GatewayOptions {
  routes: Route[];
  authorizer?: Authorizer;
  /** Extra local-only pages (for example the API docs), served before route matching. */
  extraPages?: Record<string, { contentType: string; body: string }>;
  log: (message: string, detail?: Record<string, unknown>) => void;
}

export function createGateway(options: GatewayOptions): Server {
  const routes = options.routes.map(compile).sort((a, b) => specificity(b) - specificity(a));
  const authCache = new Map<string, { expires: number; context: Record<string, unknown> | undefined; allowed: boolean }>();

  async function authorize(route: CompiledRoute, event: APIGatewayProxyEventV2): Promise<{ status?: number; context?: Record<string, unknown> }> {
    const authorizer = options.authorizer;
    if (!route.needsAuthorizer || !authorizer) return {};
    const identity = event.headers[authorizer.identityHeader.toLowerCase()];
    if (!identity) return { status: 401 };
    const cached = authCache.get(identity);
    if (cached && cached.expires > Date.now()) return cached.allowed ? { context: cached.context } : { status: 403 };
    const result = (await invoke(authorizer.spec, authorizer.handler, {
      version: "2.0",
      type: "REQUEST",
      routeArn: `arn:aws:execute-api:us-east-1:000000000000:${API_ID}/$default/${event.requestContext.http.method}${event.rawPath}`,
      identitySource: [identity],
      routeKey: event.routeKey,
      rawPath: event.rawPath,
      rawQueryString: event.rawQueryString,
      cookies: event.cookies,
      headers: event.headers,
      queryStringParameters: event.queryStringParameters,
      requestContext: event.requestContext,
      pathParameters: event.pathParameters,
    })) as { isAuthorized?: boolean; context?: Record<string, unknown> };
    const allowed = result?.isAuthorized === true;
    authCache.set(identity, { expires: Date.now() + authorizer.cacheTtlSeconds * 1000, context: result?.context, allowed });
    return allowed ? { context: result.context } : { status: 403 };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const method = (request.method ?? "GET").toUpperCase();
    const page = options.extraPages?.[url.pathname];
    if (page && method === "GET") {
      response.writeHead(200, { "content-type": page.contentType }).end(page.body);
      return;
    }
    const body = await readBody(request);
    if (body === undefined) return send(response, 413, { message: "Request Entity Too Large" });
    const match = matchRoute(routes, method, url.pathname);
    if (!match) return send(response, 404, { message: "Not Found" });
    const event = toEvent(request, url, body, match.route, match.params);
    const auth = await authorize(match.route, event);
    if (auth.status === 401) return send(response, 401, { message: "Unauthorized" });
    if (auth.status === 403) return send(response, 403, { message: "Forbidden" });
    if (auth.context) (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: auth.context };
    const started = Date.now();
    const result = await invoke(match.route.spec, match.route.handler, event);
    writeResult(response, result);
    options.log("http", { route: event.routeKey, status: response.statusCode, ms: Date.now() - started });
  }

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log("handler failed", { error: String(error) });
      if (!response.headersSent) send(response, 500, { message: "Internal Server Error" });
      else response.end();
    });
  });
}

function matchRoute(routes: CompiledRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(found[index + 1]!)]));
    return { route, params };
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function toEvent(request: IncomingMessage, url: URL, body: Buffer, route: CompiledRoute, params: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === "cookie") cookies.push(...String(value).split(/;\s*/));
    else headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const contentType = headers["content-type"] ?? "";
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: cookies.length ? cookies : undefined,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(params).length ? params : undefined,
    requestContext: {
      accountId: "000000000000",
      apiId: API_ID,
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0]!,
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (isText ? body.toString("utf8") : body.toString("base64")) : undefined,
    isBase64Encoded: !isText,
  };
}

/** Payload format 2.0 responses: a structured result, or anything else sent as JSON with status 200. */
function writeResult(response: ServerResponse, result: unknown): void {
  const structured = result as APIGatewayProxyStructuredResultV2 | undefined;
  if (!structured || typeof structured !== "object" || !("statusCode" in structured)) {
    const text = typeof result === "string" ? result : JSON.stringify(result ?? null);
    response.writeHead(200, { "content-type": "application/json" }).end(text);
    return;
  }
  const headers: Record<string, string | string[]> = { ...(structured.headers as Record<string, string>) };
  if (structured.cookies?.length) headers["set-cookie"] = structured.cookies;
  const body = structured.body ? Buffer.from(structured.body, structured.isBase64Encoded ? "base64" : "utf8") : undefined;
  response.writeHead(structured.statusCode ?? 200, headers).end(body);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** API Gateway's request time format: "24/Nov/2026:18:50:10 +0000". */
function apiGatewayTime(date: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
