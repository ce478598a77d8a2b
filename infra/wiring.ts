/**
 * The wiring table: every function of the hub, what triggers it, and what it
 * may touch. The CDK stack (infra/stack.ts) and the local stack
 * (infra/local/) are both generated from this list, so they cannot drift apart.
 */
import type { Operation } from "../shared/api/operation";
import { storefrontOperations } from "../shared/schemas/storefront";
import { openApiOperation } from "../shared/api/openapi-operation";

/** A queue of the hub; every queue gets a dead-letter queue. */
export interface QueueSpec {
  name: string;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
}

/** A Lambda event filter pattern on DynamoDB stream records, e.g. `{ dynamodb: { NewImage: { entity: { S: ["order"] } } } }`. */
export type StreamFilterPattern = Record<string, unknown>;

export type Trigger =
  | { type: "http"; operation: Operation }
  | { type: "authorizer"; identityHeader: string; cacheTtlSeconds: number }
  | { type: "stream"; filters: StreamFilterPattern[]; batchSize: number; maxRetries: number }
  | { type: "queue"; queue: string; batchSize: number }
  | { type: "schedule"; expression: string };

export interface Access {
  table?: "read" | "readWrite";
  /** Names of queues the function sends to. */
  sendTo?: string[];
  /** Storefront credentials: encrypt on write, decrypt where a connector uses them. */
  credentials?: "encrypt" | "decrypt" | "encryptDecrypt";
  sendEmail?: boolean;
}

export interface FunctionSpec {
  /** Unique, kebab-case; becomes part of the Lambda function name. */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  trigger: Trigger;
  access: Access;
  memoryMb?: number;
  timeoutSeconds?: number;
}

export const queues: QueueSpec[] = [];

const http = (name: string, entry: string, operation: Operation, access: Access): FunctionSpec => ({
  name,
  entry,
  trigger: { type: "http", operation },
  access,
});

export const functions: FunctionSpec[] = [
  {
    name: "api-key-authorizer",
    entry: "functions/http/authorizer.ts",
    trigger: { type: "authorizer", identityHeader: "Authorization", cacheTtlSeconds: 300 },
    access: { table: "read" },
  },
  http("openapi", "functions/http/openapi.ts", openApiOperation, {}),
  http("storefronts-create", "functions/http/storefronts/create.ts", storefrontOperations.create, { table: "readWrite", credentials: "encrypt" }),
  http("storefronts-list", "functions/http/storefronts/list.ts", storefrontOperations.list, { table: "read" }),
  http("storefronts-get", "functions/http/storefronts/get.ts", storefrontOperations.get, { table: "read" }),
  http("storefronts-update", "functions/http/storefronts/update.ts", storefrontOperations.update, { table: "readWrite", credentials: "encrypt" }),
  http("storefronts-delete", "functions/http/storefronts/delete.ts", storefrontOperations.delete, { table: "readWrite" }),
];

export const httpOperations = (): Operation[] =>
  functions.flatMap((fn) => (fn.trigger.type === "http" ? [fn.trigger.operation] : []));

/** The environment variable that carries a queue's URL to the functions that send to it. */
export const queueUrlEnvName = (queue: string): string => `QUEUE_URL_${queue.toUpperCase().replace(/-/g, "_")}`;
