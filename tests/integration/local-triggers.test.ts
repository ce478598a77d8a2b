/**
 * The local stand-ins for Lambda's triggers, against DynamoDB Local and the
 * SQS emulator: stream records, queue messages and schedules reach fixture
 * handlers (tests/fixtures) in the shapes AWS delivers, with AWS's retry and
 * dead-letter behaviour. Every test makes its own table and queues.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { DynamoDBClient, PutItemCommand, UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBRecord, DynamoDBStreamEvent, ScheduledEvent, SQSEvent, SQSRecord } from "aws-lambda";
import type { FunctionSpec, QueueSpec } from "../../infra/wiring";
import { lambdaContext, loadHandler } from "../../infra/local/invoke";
import { ensureQueues, ensureTable, type QueueInfo, type TableInfo } from "../../infra/local/resources";
import { forgetPositions, startStreamPoller, type Poller, type StreamConsumer, type StreamStartPosition } from "../../infra/local/stream-poller";
import { startQueuePoller } from "../../infra/local/queue-poller";
import { startScheduler } from "../../infra/local/scheduler";
import { deliveriesTo } from "../fixtures/deliveries";
import { gate } from "../fixtures/scheduled-job";

const endpoints = inject("endpoints");
const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb });
const streams = new DynamoDBStreamsClient({ endpoint: endpoints.dynamodb });
const sqs = new SQSClient({ endpoint: endpoints.sqs });

const logLines: Array<{ message: string; detail?: Record<string, unknown> }> = [];
const log = (message: string, detail?: Record<string, unknown>) => void logLines.push({ message, detail });

const started: Array<{ stop(): unknown }> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((running) => running.stop()));
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const functionName = (spec: FunctionSpec) => lambdaContext(spec).functionName;
const md5 = (text: string) => createHash("md5").update(text).digest("hex");
const sample = (name: string) => JSON.parse(readFileSync(new URL(`../../events/aws/${name}`, import.meta.url), "utf8"));

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ---------------------------------------------------------------------------
// DynamoDB Streams

type Item = Record<string, AttributeValue>;

/** A storefront-like item; `fail` carries a failure command for the fixture consumer. */
const storefrontItem = (id: string, extra: Item = {}): Item => ({
  pk: { S: `STOREFRONT#${id}` },
  sk: { S: "STOREFRONT" },
  entity: { S: "storefront" },
  storefront_code: { S: `CODE-${id}` },
  ...extra,
});

const streamProcessor = (
  label: string,
  trigger: { filters?: Record<string, unknown>[]; batchSize?: number; maxRetries?: number },
  entry = "tests/fixtures/stream-consumer.ts",
): FunctionSpec => ({
  name: unique(label),
  entry,
  trigger: { type: "stream", filters: trigger.filters ?? [], batchSize: trigger.batchSize ?? 10, maxRetries: trigger.maxRetries ?? 0 },
  access: {},
});

async function newTable(): Promise<TableInfo> {
  return ensureTable(dynamodb, unique("triggers"));
}

async function newQueue(overrides: Partial<QueueSpec> = {}): Promise<QueueInfo> {
  const spec: QueueSpec = { name: unique("jobs"), visibilityTimeoutSeconds: 1, maxReceiveCount: 2, ...overrides };
  return (await ensureQueues(sqs, endpoints.sqs, unique("triggers"), [spec])).get(spec.name)!;
}

/** A stream consumer with its own failure queue, as the local stack gives each stream processor. */
async function streamConsumer(spec: FunctionSpec): Promise<StreamConsumer & { failures: QueueInfo }> {
  const failures = await newQueue({ name: `${spec.name}-failures`, visibilityTimeoutSeconds: 30, maxReceiveCount: 1 });
  return { spec, handler: await loadHandler(spec), deadLetterQueueUrl: failures.url, failures };
}

function startStreams(table: TableInfo, consumers: StreamConsumer[], startAt?: StreamStartPosition, positionsFile?: string): Poller {
  const poller = startStreamPoller({ streams, sqs, streamArn: table.streamArn, consumers, pollIntervalMs: 20, startAt, positionsFile, log });
  started.push(poller);
  return poller;
}

async function put(table: TableInfo, ...items: Item[]): Promise<void> {
  // One at a time, so that the stream holds them in this order.
  for (const item of items) await dynamodb.send(new PutItemCommand({ TableName: table.tableName, Item: item }));
}

const batchesOf = (spec: FunctionSpec) => deliveriesTo<DynamoDBStreamEvent>(functionName(spec)).map((delivery) => delivery.event);
const keysIn = (event: DynamoDBStreamEvent) => event.Records.map((record) => record.dynamodb!.Keys!.pk!.S);

async function receiveAll(queueUrl: string): Promise<string[]> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return Messages.map((message) => message.Body!);
}

describe("stream poller", () => {
  it("delivers the records that match a consumer's filters, in order, in batches, in Lambda's event shape", async () => {
    const table = await newTable();
    const storefronts = await streamConsumer(streamProcessor("storefronts", { filters: [{ dynamodb: { NewImage: { entity: { S: ["storefront"] } } } }], batchSize: 2 }));
    await put(
      table,
      storefrontItem("1"),
      { pk: { S: "APIKEY#ab12" }, sk: { S: "APIKEY" }, entity: { S: "api_key" } },
      storefrontItem("2", { logo: { B: new Uint8Array([1, 2, 3]) } }),
    );
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: "STOREFRONT#1" }, sk: { S: "STOREFRONT" } },
        UpdateExpression: "SET connection_status = :status",
        ExpressionAttributeValues: { ":status": { S: "connected" } },
      }),
    );

    await startStreams(table, [storefronts]).drain();

    const batches = batchesOf(storefronts.spec);
    expect(batches.map(keysIn)).toEqual([["STOREFRONT#1", "STOREFRONT#2"], ["STOREFRONT#1"]]);
    expect(batches.flatMap((batch) => batch.Records.map((record) => record.eventName))).toEqual(["INSERT", "INSERT", "MODIFY"]);
    expect(batches[0]!.Records[1]!.dynamodb!.NewImage!.logo).toEqual({ B: "AQID" });
    const modify = batches[1]!.Records[0]!;
    expect(modify).toEqual({
      eventID: expect.any(String),
      eventName: "MODIFY",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "us-east-1",
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: "STOREFRONT#1" }, sk: { S: "STOREFRONT" } },
        NewImage: { ...storefrontItem("1"), connection_status: { S: "connected" } },
        OldImage: storefrontItem("1"),
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
      eventSourceARN: table.streamArn,
    });
    // Epoch seconds, like AWS (DynamoDB Local rounds it to the minute).
    expect(Math.abs(modify.dynamodb!.ApproximateCreationDateTime! - Date.now() / 1000)).toBeLessThan(120);
    // The same fields as the AWS sample, so the sample and the local events cannot drift apart.
    const awsSample = sample("dynamodb-stream-modify.json").Records[0];
    expect(Object.keys(modify)).toEqual(Object.keys(awsSample));
    expect(Object.keys(modify.dynamodb!).sort()).toEqual(Object.keys(awsSample.dynamodb).sort());
  });

  it("retries from the first failed record of a batchItemFailures response, without the records before it", async () => {
    const table = await newTable();
    const consumer = await streamConsumer(streamProcessor("partial", { batchSize: 10, maxRetries: 3 }));
    await put(table, storefrontItem("1"), storefrontItem("2"), storefrontItem("3", { fail: { S: "once" } }), storefrontItem("4"), storefrontItem("5"));

    await startStreams(table, [consumer]).drain();

    expect(batchesOf(consumer.spec).map(keysIn)).toEqual([
      ["STOREFRONT#1", "STOREFRONT#2", "STOREFRONT#3", "STOREFRONT#4", "STOREFRONT#5"],
      ["STOREFRONT#3", "STOREFRONT#4", "STOREFRONT#5"],
    ]);
    expect(await receiveAll(consumer.failures.url)).toEqual([]);
  });

  it("retries the whole batch when the handler throws", async () => {
    const table = await newTable();
    const consumer = await streamConsumer(streamProcessor("throwing", { batchSize: 10, maxRetries: 3 }));
    await put(table, storefrontItem("1"), storefrontItem("2", { fail: { S: "throw-once" } }), storefrontItem("3"));

    await startStreams(table, [consumer]).drain();

    const all = ["STOREFRONT#1", "STOREFRONT#2", "STOREFRONT#3"];
    expect(batchesOf(consumer.spec).map(keysIn)).toEqual([all, all]);
  });

  it("sends a poison record to the consumer's dead-letter queue after maxRetries and goes on, without holding up other consumers", async () => {
    const table = await newTable();
    const poisoned = await streamConsumer(streamProcessor("poisoned", { batchSize: 1, maxRetries: 2 }));
    const observer = await streamConsumer(streamProcessor("observer", { batchSize: 10 }, "tests/fixtures/stream-observer.ts"));
    await put(table, storefrontItem("1"), storefrontItem("2", { fail: { S: "always" } }), storefrontItem("3"));

    await startStreams(table, [poisoned, observer]).drain();

    // One delivery and two retries of the poison record, then the next record.
    expect(batchesOf(poisoned.spec).map(keysIn)).toEqual([["STOREFRONT#1"], ["STOREFRONT#2"], ["STOREFRONT#2"], ["STOREFRONT#2"], ["STOREFRONT#3"]]);
    expect(batchesOf(observer.spec).map(keysIn)).toEqual([["STOREFRONT#1", "STOREFRONT#2", "STOREFRONT#3"]]);
    const observed = deliveriesTo(functionName(observer.spec));
    const retried = deliveriesTo(functionName(poisoned.spec));
    expect(observed[0]!.at).toBeLessThan(retried[2]!.at);

    const poison: DynamoDBRecord = batchesOf(poisoned.spec)[1]!.Records[0]!;
    const sequenceNumber = poison.dynamodb!.SequenceNumber;
    const deadLetters = await receiveAll(poisoned.failures.url);
    expect(deadLetters).toHaveLength(1);
    expect(JSON.parse(deadLetters[0]!)).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: lambdaContext(poisoned.spec).invokedFunctionArn,
        condition: "RetryAttemptsExhausted",
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: "$LATEST" },
      version: "1.0",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: sequenceNumber,
        endSequenceNumber: sequenceNumber,
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        batchSize: 1,
        streamArn: table.streamArn,
      },
      records: [poison],
    });
    expect(await receiveAll(observer.failures.url)).toEqual([]);
  });

  it("continues after the last handled record when restarted in the same process", async () => {
    const table = await newTable();
    const consumer = await streamConsumer(streamProcessor("restarted", {}));
    await put(table, storefrontItem("1"));
    const first = startStreams(table, [consumer]);
    await first.drain();
    await first.stop();
    await put(table, storefrontItem("2"));

    await startStreams(table, [consumer]).drain();

    expect(batchesOf(consumer.spec).map(keysIn)).toEqual([["STOREFRONT#1"], ["STOREFRONT#2"]]);
  });

  it("continues after the last handled record of an earlier process, from its positions file", async () => {
    const table = await newTable();
    const consumer = await streamConsumer(streamProcessor("resumed", {}));
    const positionsFile = join(mkdtempSync(join(tmpdir(), "positions-")), "stream-positions.json");
    await put(table, storefrontItem("1"));
    const first = startStreams(table, [consumer], undefined, positionsFile);
    await first.drain();
    await first.stop();
    forgetPositions(table.streamArn);
    await put(table, storefrontItem("2"));

    await startStreams(table, [consumer], undefined, positionsFile).drain();

    expect(batchesOf(consumer.spec).map(keysIn)).toEqual([["STOREFRONT#1"], ["STOREFRONT#2"]]);
  });

  it("starting at LATEST skips what the stream already holds", async () => {
    const table = await newTable();
    const consumer = await streamConsumer(streamProcessor("latest", {}));
    await put(table, storefrontItem("old"));
    const poller = startStreams(table, [consumer], "LATEST");
    await poller.drain();
    await put(table, storefrontItem("new"));

    await poller.drain();

    expect(batchesOf(consumer.spec).map(keysIn)).toEqual([["STOREFRONT#new"]]);
  });
});

// ---------------------------------------------------------------------------
// SQS

const queueConsumer = (batchSize: number): FunctionSpec => ({
  name: unique("queue-consumer"),
  entry: "tests/fixtures/queue-consumer.ts",
  trigger: { type: "queue", queue: "jobs", batchSize },
  access: {},
});

async function startQueue(queue: QueueInfo, spec: FunctionSpec, waitTimeSeconds = 1): Promise<Poller> {
  const poller = startQueuePoller({ sqs, queueUrl: queue.url, queueArn: queue.arn, spec, handler: await loadHandler(spec), waitTimeSeconds, log });
  started.push(poller);
  return poller;
}

async function sendBatch(queue: QueueInfo, bodies: object[]): Promise<void> {
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: JSON.stringify(body) })) }));
}

const batchesFor = (spec: FunctionSpec) => deliveriesTo<SQSEvent>(functionName(spec)).map((delivery) => delivery.event.Records);

/** For each message id in the bodies: the ApproximateReceiveCount of each delivery. */
function receiveCountsById(spec: FunctionSpec): Record<string, string[]> {
  const counts: Record<string, string[]> = {};
  for (const record of batchesFor(spec).flat()) {
    const { id } = JSON.parse(record.body) as { id: string };
    (counts[id] ??= []).push(record.attributes.ApproximateReceiveCount);
  }
  return counts;
}

async function queueDepth(queue: QueueInfo): Promise<{ visible: string | undefined; inFlight: string | undefined }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return { visible: Attributes.ApproximateNumberOfMessages, inFlight: Attributes.ApproximateNumberOfMessagesNotVisible };
}

describe("queue poller", () => {
  it("delivers messages in Lambda's SQS event shape and deletes them once handled", async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 30 });
    const spec = queueConsumer(10);
    const body = JSON.stringify({ id: "order-1" });
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: body,
        MessageAttributes: {
          platform: { DataType: "String", StringValue: "shopify" },
          signature: { DataType: "Binary", BinaryValue: Buffer.from("sig") },
        },
      }),
    );

    // With a 30 s visibility timeout, drain() only returns in time if the message was deleted.
    await (await startQueue(queue, spec)).drain(5_000);

    const records = batchesFor(spec).flat();
    expect(records).toHaveLength(1);
    const record: SQSRecord = records[0]!;
    expect(record).toEqual({
      messageId: sent.MessageId,
      receiptHandle: expect.any(String),
      body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        platform: { stringValue: "shopify", stringListValues: [], binaryListValues: [], dataType: "String" },
        signature: { binaryValue: Buffer.from("sig").toString("base64"), stringListValues: [], binaryListValues: [], dataType: "Binary" },
      },
      md5OfBody: md5(body),
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      eventSource: "aws:sqs",
      eventSourceARN: queue.arn,
      awsRegion: "us-east-1",
    });
    expect(Object.keys(record)).toEqual(Object.keys(sample("sqs-batch.json").Records[0]));
    expect(await queueDepth(queue)).toEqual({ visible: "0", inFlight: "0" });
  });

  it("never puts more than batchSize messages in one event", async () => {
    const queue = await newQueue();
    const spec = queueConsumer(2);
    const ids = ["m1", "m2", "m3", "m4", "m5"];
    await sendBatch(queue, ids.map((id) => ({ id })));

    await (await startQueue(queue, spec)).drain();

    const batches = batchesFor(spec);
    expect(batches.every((batch) => batch.length >= 1 && batch.length <= 2)).toBe(true);
    expect(Object.keys(receiveCountsById(spec)).sort()).toEqual(ids);
    expect(batches.flat()).toHaveLength(5);
  });

  it("deletes only the successes of a partial failure; a poison message reaches the dead-letter queue after maxReceiveCount", async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
    const spec = queueConsumer(10);
    await sendBatch(queue, [{ id: "ok-1" }, { id: "flaky", fail: "once" }, { id: "poison", fail: "always" }, { id: "ok-2" }]);

    await (await startQueue(queue, spec)).drain(15_000);

    expect(receiveCountsById(spec)).toEqual({ "ok-1": ["1"], flaky: ["1", "2"], poison: ["1", "2"], "ok-2": ["1"] });
    expect((await receiveAll(queue.deadLetterUrl)).map((body) => JSON.parse(body).id)).toEqual(["poison"]);
    expect(await queueDepth(queue)).toEqual({ visible: "0", inFlight: "0" });
  });

  it("deletes nothing when the handler throws: the whole batch comes back", async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 1, maxReceiveCount: 3 });
    const spec = queueConsumer(10);
    await sendBatch(queue, [{ id: "fine" }, { id: "thrower", fail: "throw-once" }]);

    await (await startQueue(queue, spec)).drain(10_000);

    expect(batchesFor(spec).map((batch) => batch.length)).toEqual([2, 2]);
    expect(receiveCountsById(spec)).toEqual({ fine: ["1", "2"], thrower: ["1", "2"] });
    expect(await receiveAll(queue.deadLetterUrl)).toEqual([]);
  });

  it("stops a long poll at once", async () => {
    const queue = await newQueue();
    const poller = await startQueue(queue, queueConsumer(10), 10);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const stopping = Date.now();
    await poller.stop();

    expect(Date.now() - stopping).toBeLessThan(1_000);
  });
});

// ---------------------------------------------------------------------------
// Schedules

const scheduledJob = (expression: string): FunctionSpec => ({
  name: unique("scheduled"),
  entry: "tests/fixtures/scheduled-job.ts",
  trigger: { type: "schedule", expression },
  access: {},
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("scheduler", () => {
  it("fire() runs the function now with EventBridge's Scheduled Event and returns its result, also once the timers are stopped", async () => {
    const spec = scheduledJob("cron(0 6 * * ? *)");
    const scheduler = startScheduler({ jobs: [{ spec, handler: await loadHandler(spec) }], now: () => new Date("2030-01-01T10:00:00.750Z"), log });
    scheduler.stop();

    const result = await scheduler.fire(spec.name);

    expect(result).toEqual({ ran: "2030-01-01T10:00:00Z" });
    const events = deliveriesTo<ScheduledEvent>(functionName(spec)).map((delivery) => delivery.event);
    expect(events).toEqual([
      {
        version: "0",
        id: expect.stringMatching(UUID),
        "detail-type": "Scheduled Event",
        source: "aws.events",
        account: "000000000000",
        time: "2030-01-01T10:00:00Z",
        region: "us-east-1",
        resources: [`arn:aws:events:us-east-1:000000000000:rule/ocean-commerce-hub-${spec.name}`],
        detail: {},
      },
    ]);
    expect(Object.keys(events[0]!)).toEqual(Object.keys(sample("scheduled-event.json")));
    await expect(scheduler.fire("no-such-job")).rejects.toThrow(/No scheduled function is named "no-such-job"/);
  });

  it("fires on its schedule, and skips a run that is due while the previous one is still going", async () => {
    // A clock the test moves: the timers are real, the times they aim at come from this clock.
    let offset = 0;
    const jumpTo = (iso: string) => (offset = Date.parse(iso) - Date.now());
    jumpTo("2030-01-01T10:00:59.800Z");
    const spec = scheduledJob("cron(* * * * ? *)");
    const runs = () => deliveriesTo<ScheduledEvent>(functionName(spec)).map((delivery) => delivery.event.time);
    const linesFor = (message: RegExp) => logLines.filter((line) => message.test(line.message) && line.detail?.function === spec.name);
    let open: () => void = () => undefined;
    gate.closed = new Promise<void>((resolve) => (open = resolve));
    try {
      const scheduler = startScheduler({ jobs: [{ spec, handler: await loadHandler(spec) }], now: () => new Date(Date.now() + offset), log });
      started.push(scheduler);

      await waitUntil(() => runs().length === 1, "the first run");
      jumpTo("2030-01-01T10:01:59.900Z");
      await waitUntil(() => linesFor(/skipped/).length === 1, "the skipped run");
      await expect(scheduler.fire(spec.name)).rejects.toThrow(/still running/);
      open();
      await waitUntil(() => linesFor(/finished/).length === 1, "the first run to finish");
      jumpTo("2030-01-01T10:02:59.900Z");
      await waitUntil(() => runs().length === 2, "the second run");

      expect(runs()).toEqual(["2030-01-01T10:01:00Z", "2030-01-01T10:03:00Z"]);
      expect(linesFor(/skipped/).map((line) => line.detail?.time)).toEqual(["2030-01-01T10:02:00Z"]);
    } finally {
      open();
      gate.closed = undefined;
    }
  });

  it("refuses an invalid schedule expression when it starts", async () => {
    const spec = scheduledJob("rate(5 minute)");
    expect(() => startScheduler({ jobs: [{ spec, handler: async () => undefined }], log })).toThrow(/plural/);
  });
});

// ---------------------------------------------------------------------------
// Sample events

describe("sample events in events/aws", () => {
  it("the stream samples are an INSERT and a MODIFY of a storefront item", () => {
    const [insert] = sample("dynamodb-stream-insert.json").Records;
    const [modify] = sample("dynamodb-stream-modify.json").Records;
    for (const [record, eventName] of [[insert, "INSERT"], [modify, "MODIFY"]] as const) {
      expect(record).toMatchObject({
        eventName,
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: "us-east-1",
        dynamodb: {
          ApproximateCreationDateTime: expect.any(Number),
          Keys: { pk: { S: "STOREFRONT#1" }, sk: { S: "STOREFRONT" } },
          NewImage: { pk: { S: "STOREFRONT#1" }, sk: { S: "STOREFRONT" }, entity: { S: "storefront" } },
          SequenceNumber: expect.stringMatching(/^\d+$/),
          StreamViewType: "NEW_AND_OLD_IMAGES",
        },
        eventSourceARN: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/[^/]+\/stream\//),
      });
    }
    expect(insert.dynamodb.OldImage).toBeUndefined();
    expect(modify.dynamodb.OldImage.entity).toEqual({ S: "storefront" });
    expect(modify.dynamodb.OldImage.connection_status).not.toEqual(modify.dynamodb.NewImage.connection_status);
  });

  it("the SQS sample has consistent checksums and Lambda's attribute format", () => {
    const { Records } = sample("sqs-batch.json") as SQSEvent;
    expect(Records).toHaveLength(2);
    for (const record of Records) {
      expect(record.md5OfBody).toBe(md5(record.body));
      expect(JSON.parse(record.body)).toMatchObject({ storefront_id: expect.any(Number), delivery_id: expect.any(String) });
      expect(record).toMatchObject({ eventSource: "aws:sqs", eventSourceARN: expect.stringMatching(/^arn:aws:sqs:us-east-1:/), awsRegion: "us-east-1" });
      expect(Object.keys(record.attributes)).toEqual(["ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"]);
    }
    expect(Records[0]!.messageAttributes).toEqual({ platform: { stringValue: "shopify", stringListValues: [], binaryListValues: [], dataType: "String" } });
  });

  it("the scheduled event sample has EventBridge's fields", () => {
    expect(sample("scheduled-event.json")).toEqual({
      version: "0",
      id: expect.stringMatching(UUID),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: expect.stringMatching(/^\d{12}$/),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: "us-east-1",
      resources: [expect.stringMatching(/^arn:aws:events:us-east-1:\d{12}:rule\/ocean-commerce-hub-/)],
      detail: {},
    });
  });

  it("the API Gateway samples are an HTTP API v2 request and its REQUEST authorizer payload", () => {
    const request = sample("apigw-v2-request.json");
    expect(request).toMatchObject({
      version: "2.0",
      routeKey: "GET /api/ecommerce/storefronts",
      rawPath: "/api/ecommerce/storefronts",
      rawQueryString: expect.any(String),
      headers: { authorization: "Bearer och_example" },
      isBase64Encoded: false,
      requestContext: {
        accountId: expect.stringMatching(/^\d{12}$/),
        apiId: expect.any(String),
        authorizer: { lambda: { key_id: "3f2a9c1b7d4e", role: "admin", storefronts: "*" } },
        domainName: expect.any(String),
        http: { method: "GET", path: "/api/ecommerce/storefronts", protocol: "HTTP/1.1", sourceIp: expect.any(String), userAgent: expect.any(String) },
        requestId: expect.any(String),
        routeKey: "GET /api/ecommerce/storefronts",
        stage: "$default",
        time: expect.any(String),
        timeEpoch: expect.any(Number),
      },
    });
    expect(Object.keys(request.headers).filter((name) => name !== name.toLowerCase())).toEqual([]);

    const authorizer = sample("apigw-v2-authorizer-request.json");
    expect(authorizer).toMatchObject({
      version: "2.0",
      type: "REQUEST",
      routeArn: expect.stringMatching(/^arn:aws:execute-api:us-east-1:\d{12}:[^/]+\/\$default\/GET\/api\/ecommerce\/storefronts$/),
      identitySource: ["Bearer och_example"],
      routeKey: "GET /api/ecommerce/storefronts",
      headers: { authorization: "Bearer och_example" },
      requestContext: { http: { method: "GET", path: "/api/ecommerce/storefronts" }, stage: "$default" },
    });
    expect(authorizer.requestContext.authorizer).toBeUndefined();
  });
});
