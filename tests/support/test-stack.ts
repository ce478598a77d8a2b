/**
 * Starts the hub's local stack for one test file: its own table and queues on
 * the shared emulators, the API on a free loopback port, and API keys of each role.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { inject } from "vitest";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "../../infra/local/stack";
import { storefrontInput } from "./factories";

export interface TestStack extends LocalStack {
  keys: { admin: string; operator: string; viewer: string };
  /** Issues another key, e.g. one limited to some storefronts. */
  issueKey(role: "admin" | "operator" | "viewer", storefrontIds?: number[] | null): Promise<{ token: string; keyId: string }>;
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Creates a storefront through the API (admin key) and returns it; fails the test unless the API answers 201. */
  createStorefront(overrides?: Record<string, unknown>): Promise<any>;
}

export interface CallOptions {
  key?: string | null;
  json?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function startTestStack(overrides: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const dir = mkdtempSync(join(tmpdir(), "hub-test-"));
  const keyFile = join(dir, "credentials.key");
  writeFileSync(keyFile, randomBytes(32).toString("base64"));
  const stack = await startLocalStack({
    endpoints: inject("endpoints"),
    tableName: uniqueName("hub"),
    queuePrefix: uniqueName("hub"),
    port: 0,
    credentialsKeyFile: keyFile,
    pollIntervalMs: 50,
    ...overrides,
  });
  const { issueApiKey } = await import("../../shared/domain/api-keys");
  const issueKey = async (role: "admin" | "operator" | "viewer", storefrontIds: number[] | null = null) => {
    const issued = await issueApiKey({ name: `test ${role}`, role, storefrontIds });
    return { token: issued.token, keyId: issued.record.key_id };
  };
  const keys = {
    admin: (await issueKey("admin")).token,
    operator: (await issueKey("operator")).token,
    viewer: (await issueKey("viewer")).token,
  };
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? keys.admin : options.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${stack.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  const createStorefront = async (overrides: Record<string, unknown> = {}) => {
    const response = await call("POST", "/api/ecommerce/storefronts", { json: storefrontInput(overrides) });
    if (response.status !== 201) throw new Error(`Creating a storefront answered ${response.status}: ${response.text}`);
    return response.body.storefront;
  };
  return { ...stack, keys, issueKey, call, createStorefront };
}
