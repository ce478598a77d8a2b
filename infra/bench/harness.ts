/** What the suites that run the local stack share: concurrency, a stack per measurement, the PASS/FAIL cell. */
import { performance } from "node:perf_hooks";
import { DeleteTableCommand, DynamoDBClient, type ConsumedCapacity } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, startDynamoDbLocal, startSesEmulator, startSqsEmulator, type Emulator } from "../local/emulators";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "../local/stack";
import type { Cell } from "./suite";

/** Runs `work` for items 0..count-1 with `concurrency` in flight; returns the elapsed milliseconds. */
export async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return performance.now() - started;
}

export type StackBase = Omit<LocalStackOptions, "tableName" | "queuePrefix" | "port">;

/** Starts DynamoDB Local and the SQS and SES emulators on free ports, with a fresh credentials key in `workDir`, for `use`; stops them after. */
export async function withEmulators<T>(workDir: string, use: (base: StackBase) => Promise<T>): Promise<T> {
  const emulators: Emulator[] = [];
  try {
    emulators.push(await startDynamoDbLocal({ port: await freePort() }), await startSqsEmulator({ port: await freePort() }), await startSesEmulator({ port: await freePort() }));
    const [dynamodb, sqs, ses] = emulators as [Emulator, Emulator, Emulator];
    const credentialsKeyFile = join(workDir, "credentials.key");
    await writeFile(credentialsKeyFile, randomBytes(32).toString("base64"));
    return await use({ endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, ses: ses.endpoint }, credentialsKeyFile });
  } finally {
    await Promise.allSettled(emulators.map((emulator) => emulator.stop()));
  }
}

/** A local stack of its own (table and queues named after `name`) for `use`; stopped after, its table dropped when asked. */
export async function withStack<T>(
  base: StackBase,
  name: string,
  wiring: LocalStackOptions["wiring"],
  use: (stack: LocalStack) => Promise<T>,
  options: { pollIntervalMs?: number; dropTable?: boolean } = {},
): Promise<T> {
  const tableName = `bench-${name}`;
  const stack = await startLocalStack({ ...base, tableName, queuePrefix: tableName, port: 0, wiring, pollIntervalMs: options.pollIntervalMs ?? 50 });
  try {
    return await use(stack);
  } finally {
    await stack.stop();
    if (options.dropTable) {
      const client = new DynamoDBClient({ endpoint: base.endpoints.dynamodb });
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    }
  }
}

export const verdict = (pass: boolean): Cell => ({ text: pass ? "PASS" : "FAIL", tone: pass ? "pass" : "fail" });

export interface BenchApi {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** The stack's API with a fresh admin key (issued in this process, which shares the stack's table). */
export async function adminApi(stack: LocalStack): Promise<BenchApi> {
  const { issueApiKey } = await import("../../shared/domain/api-keys");
  const { token } = await issueApiKey({ name: "bench", role: "admin", storefrontIds: null });
  return {
    call: async (method, path, body) => {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
  };
}

/** A Shopify storefront in USD named after `code`, with `fields` added; its id. */
export async function createStorefront(api: BenchApi, code: string, fields: Record<string, unknown> = {}): Promise<number> {
  const response = await api.call("POST", "/api/ecommerce/storefronts", { storefront_code: code, storefront_name: `Bench ${code}`, platform_type: "shopify", default_currency: "USD", ...fields });
  if (response.status !== 201) throw new Error(`Cannot create storefront ${code}: ${JSON.stringify(response.body)}`);
  return response.body.storefront.storefront_id;
}

/** Sums the capacity of every call a document client makes (DynamoDB reports it when asked), until stopped. */
export function meterCapacity(client: DynamoDBDocumentClient) {
  const meter = { capacity: 0, requests: 0 };
  const name = "benchConsumedCapacity";
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = "TOTAL";
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      for (const entry of [consumed ?? []].flat()) meter.capacity += entry.CapacityUnits ?? 0;
      meter.requests += 1;
      return result;
    },
    { step: "initialize", name },
  );
  return { meter, stop: () => client.middlewareStack.remove(name) };
}
