/**
 * The whole hub on one machine: the wiring's functions run in this process
 * against the emulators. HTTP routes go through the local gateway; stream
 * processors get real stream records; queue consumers get real SQS batches;
 * scheduled functions fire on their schedules.
 */
import type { Server } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { SQSClient } from "@aws-sdk/client-sqs";
import { functions as defaultFunctions, queues as defaultQueues, queueUrlEnvName, type FunctionSpec, type QueueSpec } from "../wiring";
import { ensureQueues, ensureTable, type QueueInfo, type TableInfo } from "./resources";
import { createGateway, type Route } from "./gateway";
import { loadHandler } from "./invoke";
import { startStreamPoller } from "./stream-poller";
import { startQueuePoller } from "./queue-poller";
import { startScheduler, type Scheduler } from "./scheduler";
import { DOCS_PAGE } from "./docs-page";

export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
  ses: string;
}

export interface LocalStackOptions {
  endpoints: EmulatorEndpoints;
  tableName: string;
  /** Prefix of every queue name, so that several stacks can share one emulator. */
  queuePrefix: string;
  /** Port of the API; 0 picks a free one. */
  port: number;
  credentialsKeyFile: string;
  wiring?: { functions: FunctionSpec[]; queues: QueueSpec[] };
  pollIntervalMs?: number;
  /** Fire scheduled functions on their schedules (tests usually call `scheduler.fire` instead). */
  runSchedules?: boolean;
  /** The scheduler's clock: the time scheduled events carry (tests move it forward). */
  clock?: () => Date;
  /** Keeps stream positions across restarts (npm start keeps them with its data). */
  streamPositionsFile?: string;
  log?: (message: string, detail?: Record<string, unknown>) => void;
}

export interface LocalStack {
  url: string;
  table: TableInfo;
  queues: Map<string, QueueInfo>;
  scheduler: Scheduler;
  /** Waits until every stream record and queued message so far has been processed. */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const streamFailureQueue = (fn: FunctionSpec) => `${fn.name}-stream-failures`;

/** Points the AWS SDK and our own configuration at the emulators, as Lambda's environment does in AWS. */
function configureEnvironment(options: LocalStackOptions): void {
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  process.env.AWS_ENDPOINT_URL_DYNAMODB = options.endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = options.endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_SQS = options.endpoints.sqs;
  process.env.AWS_ENDPOINT_URL_SESV2 = options.endpoints.ses;
  // The sender address of recovery emails; in AWS it comes from the stack (a verified SES identity).
  process.env.SENDER_EMAIL ??= "no-reply@example.com";
  process.env.TABLE_NAME = options.tableName;
  process.env.CREDENTIALS_KEY_FILE = options.credentialsKeyFile;
  delete process.env.CREDENTIALS_KMS_KEY_ID;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const wiring = options.wiring ?? { functions: defaultFunctions, queues: defaultQueues };
  configureEnvironment(options);

  const dynamodb = new DynamoDBClient({ endpoint: options.endpoints.dynamodb });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoints.dynamodb });
  const sqs = new SQSClient({ endpoint: options.endpoints.sqs });

  const table = await ensureTable(dynamodb, options.tableName);
  const streamConsumers = wiring.functions.filter((fn) => fn.trigger.type === "stream");
  const queueSpecs: QueueSpec[] = [
    ...wiring.queues,
    ...streamConsumers.map((fn) => ({ name: streamFailureQueue(fn), visibilityTimeoutSeconds: 30, maxReceiveCount: 1 })),
  ];
  const queues = await ensureQueues(sqs, options.endpoints.sqs, options.queuePrefix, queueSpecs);
  for (const queue of wiring.queues) process.env[queueUrlEnvName(queue.name)] = queues.get(queue.name)!.url;

  const loaded = await Promise.all(wiring.functions.map(async (spec) => ({ spec, handler: await loadHandler(spec) })));

  const routes: Route[] = loaded.flatMap(({ spec, handler }) =>
    spec.trigger.type === "http"
      ? [{ spec, handler, method: spec.trigger.operation.method, path: spec.trigger.operation.path, needsAuthorizer: Boolean(spec.trigger.operation.role) }]
      : [],
  );
  const authorizerFn = loaded.find(({ spec }) => spec.trigger.type === "authorizer");
  const authorizer =
    authorizerFn && authorizerFn.spec.trigger.type === "authorizer"
      ? { ...authorizerFn, identityHeader: authorizerFn.spec.trigger.identityHeader, cacheTtlSeconds: authorizerFn.spec.trigger.cacheTtlSeconds }
      : undefined;
  const server = createGateway({ routes, authorizer, log, extraPages: { "/docs": { contentType: "text/html; charset=utf-8", body: DOCS_PAGE } } });
  const port = await listen(server, options.port);
  // Links in emails (unsubscribe) point at this API.
  process.env.PUBLIC_API_URL = `http://127.0.0.1:${port}/`;

  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const streamPoller = startStreamPoller({
    streams,
    sqs,
    streamArn: table.streamArn,
    pollIntervalMs,
    positionsFile: options.streamPositionsFile,
    log,
    consumers: loaded
      .filter(({ spec }) => spec.trigger.type === "stream")
      .map(({ spec, handler }) => ({ spec, handler, deadLetterQueueUrl: queues.get(streamFailureQueue(spec))!.url })),
  });
  const queuePollers = loaded.flatMap(({ spec, handler }) => {
    if (spec.trigger.type !== "queue") return [];
    const queue = queues.get(spec.trigger.queue);
    if (!queue) throw new Error(`${spec.name} consumes ${spec.trigger.queue}, which the wiring does not define`);
    return [startQueuePoller({ sqs, queueUrl: queue.url, queueArn: queue.arn, spec, handler, log, waitTimeSeconds: 1 })];
  });
  const scheduled = loaded.filter(({ spec }) => spec.trigger.type === "schedule");
  const scheduler = startScheduler({ jobs: scheduled, log, now: options.clock });
  // Without runSchedules, jobs fire only when asked (scheduler.fire); a stopped scheduler still fires on request.
  if (!options.runSchedules) scheduler.stop();

  return {
    url: `http://127.0.0.1:${port}`,
    table,
    queues,
    scheduler,
    async drain(timeoutMs = 20_000) {
      // Stream processors may enqueue messages and consumers may write records: settle both twice.
      for (let round = 0; round < 2; round++) {
        await streamPoller.drain(timeoutMs);
        await Promise.all(queuePollers.map((poller) => poller.drain(timeoutMs)));
      }
    },
    async stop() {
      scheduler.stop();
      await Promise.all([streamPoller.stop(), ...queuePollers.map((poller) => poller.stop())]);
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      dynamodb.destroy();
      streams.destroy();
      sqs.destroy();
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePort((server.address() as { port: number }).port));
  });
}
