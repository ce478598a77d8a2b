/**
 * The edge as Lambda sees it: handlers invoked directly with API Gateway v2
 * events, to check what a client and the logs get when things go wrong.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";

const SECRET = "shpat_do_not_log_me_0000";
let create: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let logged: string[] = [];

function event(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /api/ecommerce/storefronts",
    rawPath: "/api/ecommerce/storefronts",
    rawQueryString: "",
    headers: { "content-type": "application/json", "x-correlation-id": "corr-123", ...headers },
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: "localhost",
      domainPrefix: "localhost",
      http: { method: "POST", path: "/api/ecommerce/storefronts", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: "req-1",
      routeKey: "POST /api/ecommerce/storefronts",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer: { lambda: { key_id: "abc", role: "admin", storefronts: "*" } },
    } as APIGatewayProxyEventV2["requestContext"],
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const context = { functionName: "test", awsRequestId: "aws-req-1", getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "hub-errors-"));
  writeFileSync(join(dir, "key"), randomBytes(32).toString("base64"));
  process.env.CREDENTIALS_KEY_FILE = join(dir, "key");
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject("endpoints").dynamodb;
  process.env.TABLE_NAME = "table-that-does-not-exist";
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
  }
  ({ handler: create } = (await import("../../functions/http/storefronts/create")) as unknown as { handler: typeof create });
});

afterEach(() => {
  logged = [];
});

describe("an internal failure", () => {
  it("answers 500 with a generic message and leaks nothing", async () => {
    const result = await create(event({ storefront_code: "ERR-1", storefront_name: "x", platform_type: "shopify", api_key: SECRET }), context);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body!)).toEqual({ error: { code: "internal_error", message: "An internal error occurred" } });
    expect(result.body).not.toContain("table-that-does-not-exist");
    expect(result.headers?.["x-correlation-id"]).toBe("corr-123");
  });

  it("logs the failure as JSON with the correlation id, and never the credentials", async () => {
    await create(event({ storefront_code: "ERR-2", storefront_name: "x", platform_type: "shopify", api_key: SECRET }), context);
    const lines = logged.join("").trim().split("\n").map((line) => JSON.parse(line));
    const failure = lines.find((line) => line.message === "request failed");
    expect(failure).toMatchObject({ level: "ERROR", correlation_id: "corr-123" });
    expect(logged.join("")).not.toContain(SECRET);
  });
});

describe("a rejected request", () => {
  it("is logged with its code only, never its body", async () => {
    const result = await create(event({ storefront_code: "E", platform_type: "nope", api_key: SECRET }), context);
    expect(result.statusCode).toBe(400);
    const lines = logged.join("").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.find((line) => line.message === "request rejected")).toMatchObject({ code: "validation_error", correlation_id: "corr-123" });
    expect(logged.join("")).not.toContain(SECRET);
  });
});
