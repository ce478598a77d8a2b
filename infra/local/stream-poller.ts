/**
 * Local stand-in for Lambda's DynamoDB Streams event source mapping.
 *
 * One reader per shard fetches the stream records; every consumer (stream
 * processor) has its own lane per shard, with its own position, so a consumer
 * that keeps failing never holds up another. Within a lane, as in Lambda:
 * - records that do not match the consumer's filters are skipped;
 * - matching records arrive in order, in batches of up to `batchSize`, as a
 *   DynamoDBStreamEvent;
 * - a `batchItemFailures` response marks the records before the lowest
 *   failed sequence number done and retries from that record; a thrown error
 *   retries the whole batch;
 * - after `maxRetries` retries starting at the same record, the batch from
 *   that record is sent to the consumer's dead-letter queue (the message
 *   Lambda sends to an on-failure destination, plus the records themselves)
 *   and the lane moves on.
 * A child shard is read only once its parent has been read and handled, so
 * the changes to one item always arrive in order.
 *
 * Positions: the first poller of a process starts each shard at `startAt`
 * (TRIM_HORIZON by default: the whole retained history, as a new mapping with
 * that starting position would). What each consumer has handled is kept in
 * memory for the life of the process, so a poller restarted in the same
 * process continues after the last handled record. With `positionsFile`,
 * positions are also written to disk, so that `npm start` on kept data
 * resumes after the last record each consumer handled, in an earlier run
 * too: nothing replayed, nothing skipped.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type AttributeValue as StreamAttributeValue,
  type DynamoDBStreamsClient,
  type GetShardIteratorCommandInput,
  type Shard,
  type _Record as RawStreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from "aws-lambda";
import type { FunctionSpec } from "../wiring";
import { invoke, lambdaContext, type LoadedHandler } from "./invoke";
import { matchesAnyPattern } from "./filter-pattern";

export interface StreamConsumer {
  spec: FunctionSpec;
  handler: LoadedHandler;
  /** Where batches go once their retries are exhausted (Lambda's on-failure destination). */
  deadLetterQueueUrl: string;
}

export interface Poller {
  stop(): Promise<void>;
  /** Resolves once every record written so far has been delivered (or dead-lettered). */
  drain(timeoutMs?: number): Promise<void>;
}

export type StreamStartPosition = "TRIM_HORIZON" | "LATEST";

export interface StreamPollerOptions {
  streams: DynamoDBStreamsClient;
  sqs: SQSClient;
  streamArn: string;
  consumers: StreamConsumer[];
  /** Pause between reads that found nothing new. */
  pollIntervalMs: number;
  /** Where shards start when this process has not read the stream before; TRIM_HORIZON by default. */
  startAt?: StreamStartPosition;
  /** A JSON file that keeps each consumer's position across restarts of the process. */
  positionsFile?: string;
  log: Log;
}

type Log = (message: string, detail?: Record<string, unknown>) => void;

const RETRY_BACKOFF_FIRST_MS = 100;
const RETRY_BACKOFF_MAX_MS = 2_000;
const ERROR_BACKOFF_MAX_MS = 5_000;
/** Shards roll over every few hours in AWS; look for new ones now and then, and whenever one closes. */
const SHARD_DISCOVERY_INTERVAL_MS = 10_000;
/** SQS's message size limit. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------
// Positions kept for the life of the process

interface ShardMemory {
  /** Where the shard was first opened in this process. */
  origin: StreamStartPosition;
  /** Per consumer: the sequence number of the last record it handled (delivered, skipped or dead-lettered). */
  handled: Map<string, string>;
}

const rememberedShards = new Map<string, ShardMemory>();

function shardMemory(streamArn: string, shardId: string, origin: StreamStartPosition): ShardMemory {
  const key = `${streamArn} ${shardId}`;
  let memory = rememberedShards.get(key);
  if (!memory) {
    memory = { origin, handled: new Map() };
    rememberedShards.set(key, memory);
  }
  return memory;
}

type SavedPositions = Record<string, { origin: StreamStartPosition; handled: Record<string, string> }>;

function snapshotPositions(streamArn: string): SavedPositions {
  const saved: SavedPositions = {};
  for (const [key, memory] of rememberedShards) {
    if (key.startsWith(`${streamArn} `)) saved[key] = { origin: memory.origin, handled: Object.fromEntries(memory.handled) };
  }
  return saved;
}

/** Drops what this process remembers of a stream's positions, as a new process starts (for tests). */
export function forgetPositions(streamArn: string): void {
  for (const key of [...rememberedShards.keys()]) if (key.startsWith(`${streamArn} `)) rememberedShards.delete(key);
}

/** Seeds the in-memory positions from an earlier run; positions already in memory win. */
function restorePositions(file: string, streamArn: string): void {
  if (!existsSync(file)) return;
  const saved = JSON.parse(readFileSync(file, "utf8")) as SavedPositions;
  for (const [key, position] of Object.entries(saved)) {
    if (!key.startsWith(`${streamArn} `) || rememberedShards.has(key)) continue;
    rememberedShards.set(key, { origin: position.origin, handled: new Map(Object.entries(position.handled)) });
  }
}

/** Writes the positions when they changed: on a timer while running, and once more on stop. */
function positionsWriter(file: string | undefined, streamArn: string) {
  let written = "";
  const write = () => {
    if (!file) return;
    const text = JSON.stringify(snapshotPositions(streamArn));
    if (text === written) return;
    writeFileSync(file, text);
    written = text;
  };
  const timer = file ? setInterval(write, 500) : undefined;
  timer?.unref();
  return {
    close() {
      clearInterval(timer);
      write();
    },
  };
}

// ---------------------------------------------------------------------------
// The poller

interface ShardReader {
  shardId: string;
  parentShardId: string | undefined;
  memory: ShardMemory;
  lanes: ConsumerLane[];
  iterator: string | undefined;
  lastReadSequenceNumber: string | undefined;
  /** Set when the retained history no longer holds our position. */
  restartFromTrimHorizon: boolean;
  /** The shard is closed and every record in it has been read. */
  finished: boolean;
  /** Number of the last request after which this reader had nothing new to read. */
  caughtUpAtRequest: number;
}

export function startStreamPoller(options: StreamPollerOptions): Poller {
  const { streams, sqs, streamArn, consumers, pollIntervalMs, log } = options;
  const startAt = options.startAt ?? "TRIM_HORIZON";
  for (const consumer of consumers) {
    if (consumer.spec.trigger.type !== "stream") throw new Error(`${consumer.spec.name} is not a stream processor (its trigger is ${consumer.spec.trigger.type})`);
    // Fails now on a filter AWS would reject when the mapping is created.
    matchesAnyPattern(consumer.spec.trigger.filters, {});
  }
  // Nothing consumes the stream: nothing to read.
  if (consumers.length === 0) return { stop: async () => undefined, drain: async () => undefined };

  if (options.positionsFile) restorePositions(options.positionsFile, streamArn);
  const positions = positionsWriter(options.positionsFile, streamArn);
  const region = process.env.AWS_REGION ?? "us-east-1";
  const stopping = new AbortController();
  const readers = new Map<string, ShardReader>();
  let requestCounter = 0;
  let discoveredAtRequest = -1;
  /** Discovery is due when the last one started before this request number. */
  let discoveryWantedAtRequest = 0;
  let lastDiscoveryAt = 0;
  let firstDiscovery = true;
  let wakeLoop: (() => void) | undefined;
  let stopped: Promise<void> | undefined;

  const laneContext: LaneContext = { sqs, streamArn, log, signal: stopping.signal };

  async function discoverShards(): Promise<void> {
    const requestNumber = ++requestCounter;
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }), {
        abortSignal: stopping.signal,
      });
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    for (const shard of shards) {
      if (!shard.ShardId || readers.has(shard.ShardId)) continue;
      // `startAt` applies to the shards that exist when the poller starts; shards that appear later are new history, read from their start.
      const memory = shardMemory(streamArn, shard.ShardId, firstDiscovery ? startAt : "TRIM_HORIZON");
      readers.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        memory,
        lanes: consumers.map((consumer) => new ConsumerLane(consumer, shard.ShardId!, memory, laneContext)),
        iterator: undefined,
        lastReadSequenceNumber: undefined,
        restartFromTrimHorizon: false,
        finished: false,
        caughtUpAtRequest: -1,
      });
    }
    firstDiscovery = false;
    discoveredAtRequest = requestNumber;
    lastDiscoveryAt = Date.now();
  }

  /** A child shard waits until its parent has been read to the end and every consumer has handled it. */
  function isReadable(reader: ShardReader): boolean {
    if (reader.finished) return false;
    const parent = reader.parentShardId ? readers.get(reader.parentShardId) : undefined;
    return !parent || (parent.finished && parent.lanes.every((lane) => lane.idle));
  }

  async function openIterator(reader: ShardReader): Promise<string | undefined> {
    const base = { StreamArn: streamArn, ShardId: reader.shardId };
    const resumeAfter = reader.restartFromTrimHorizon ? undefined : (reader.lastReadSequenceNumber ?? resumePoint(reader));
    const input: GetShardIteratorCommandInput = resumeAfter
      ? { ...base, ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: resumeAfter }
      : { ...base, ShardIteratorType: reader.restartFromTrimHorizon ? "TRIM_HORIZON" : reader.memory.origin };
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand(input), { abortSignal: stopping.signal });
    reader.restartFromTrimHorizon = false;
    return ShardIterator;
  }

  /** Reads one page of records and hands it to the lanes; true when it found records. */
  async function readShard(reader: ShardReader): Promise<boolean> {
    reader.iterator ??= await openIterator(reader);
    const requestNumber = ++requestCounter;
    const output = reader.iterator
      ? await streams.send(new GetRecordsCommand({ ShardIterator: reader.iterator }), { abortSignal: stopping.signal })
      : { Records: [], NextShardIterator: undefined };
    const records = output.Records ?? [];
    reader.iterator = output.NextShardIterator;
    if (records.length > 0) {
      reader.lastReadSequenceNumber = records.at(-1)!.dynamodb?.SequenceNumber;
      const converted = records.map((record) => toLambdaRecord(record, streamArn, region));
      for (const lane of reader.lanes) lane.accept(converted);
    } else {
      reader.caughtUpAtRequest = requestNumber;
    }
    if (!output.NextShardIterator) {
      // The shard is closed and read to the end; its children (if any) may start once the lanes have handled it.
      reader.finished = true;
      reader.caughtUpAtRequest = requestNumber;
      discoveryWantedAtRequest = requestNumber;
    }
    return records.length > 0;
  }

  async function readShardSafely(reader: ShardReader): Promise<{ foundRecords: boolean; failed: boolean }> {
    try {
      return { foundRecords: await readShard(reader), failed: false };
    } catch (error) {
      if (stopping.signal.aborted) return { foundRecords: false, failed: false };
      // Reopen the iterator from the last record read: iterators expire after 15 minutes, and any error may leave it unusable.
      reader.iterator = undefined;
      if (error instanceof TrimmedDataAccessException) {
        reader.restartFromTrimHorizon = true;
        log("stream position trimmed from the stream's history; continuing from the oldest record kept", { shard: reader.shardId });
        return { foundRecords: false, failed: false };
      }
      if (error instanceof ExpiredIteratorException) return { foundRecords: false, failed: false };
      log("stream read failed; retrying", { shard: reader.shardId, error: String(error) });
      return { foundRecords: false, failed: true };
    }
  }

  async function pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(wake, ms);
      function wake() {
        clearTimeout(timer);
        wakeLoop = undefined;
        resolve();
      }
      wakeLoop = wake;
    });
  }

  const loop = (async () => {
    let consecutiveFailures = 0;
    while (!stopping.signal.aborted) {
      let foundRecords = false;
      let failed = false;
      try {
        if (discoveredAtRequest < discoveryWantedAtRequest || Date.now() - lastDiscoveryAt > SHARD_DISCOVERY_INTERVAL_MS) await discoverShards();
        for (const reader of [...readers.values()].filter(isReadable)) {
          const result = await readShardSafely(reader);
          foundRecords ||= result.foundRecords;
          failed ||= result.failed;
        }
      } catch (error) {
        if (stopping.signal.aborted) break;
        failed = true;
        log("cannot describe the stream; retrying", { streamArn, error: String(error) });
      }
      if (stopping.signal.aborted) break;
      consecutiveFailures = failed ? consecutiveFailures + 1 : 0;
      // Read again at once while there is more to read, as Lambda does; otherwise wait.
      if (failed) await pause(backoff(consecutiveFailures, 200, ERROR_BACKOFF_MAX_MS));
      else if (!foundRecords) await pause(pollIntervalMs);
    }
  })();

  function drained(mark: number): boolean {
    if (discoveredAtRequest < mark) return false;
    return [...readers.values()].every((reader) => (reader.finished || reader.caughtUpAtRequest > mark) && reader.lanes.every((lane) => lane.idle));
  }

  function pendingSummary(): Record<string, number> {
    const summary: Record<string, number> = {};
    for (const reader of readers.values()) {
      for (const lane of reader.lanes) summary[lane.name] = (summary[lane.name] ?? 0) + lane.pendingCount;
    }
    return summary;
  }

  return {
    async drain(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS) {
      if (stopping.signal.aborted) throw new Error("The stream poller is stopped; nothing more will be delivered");
      // Everything written before this point is in the stream; once a read that started after it finds nothing new, all of it has been read.
      const mark = ++requestCounter;
      // A shard may have appeared since the last look.
      discoveryWantedAtRequest = mark;
      wakeLoop?.();
      const deadline = Date.now() + timeoutMs;
      while (!drained(mark)) {
        if (stopping.signal.aborted) throw new Error("The stream poller was stopped while draining");
        if (Date.now() > deadline) {
          const state = discoveredAtRequest < mark ? "the stream could not be described (see the log)" : `records pending per consumer: ${JSON.stringify(pendingSummary())}`;
          throw new Error(`Stream records were still being processed after ${timeoutMs} ms (${state})`);
        }
        await delay(10);
      }
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        wakeLoop?.();
        await loop;
        // Let invocations in progress finish; lanes start no new ones once stopping.
        await Promise.all([...readers.values()].flatMap((reader) => reader.lanes.map((lane) => lane.settled())));
        positions.close();
      })();
      return stopped;
    },
  };
}

// ---------------------------------------------------------------------------
// One consumer's progress through one shard

interface LaneContext {
  sqs: SQSClient;
  streamArn: string;
  log: Log;
  /** Aborted when the poller stops. */
  signal: AbortSignal;
}

interface PendingRecord {
  record: DynamoDBRecord;
  matches: boolean;
}

interface DeliveryOutcome {
  /** Index in the batch of the first record to retry; undefined when the whole batch succeeded. */
  failedAt: number | undefined;
  /** The handler threw (rather than reporting failed items). */
  threw: boolean;
}

class ConsumerLane {
  readonly name: string;
  private readonly pending: PendingRecord[] = [];
  private running: Promise<void> | undefined;
  /** Retries made of the batch that starts at this record. */
  private retry = { sequenceNumber: "", count: 0 };

  constructor(
    private readonly consumer: StreamConsumer,
    private readonly shardId: string,
    private readonly memory: ShardMemory,
    private readonly context: LaneContext,
  ) {
    this.name = consumer.spec.name;
  }

  get handledUpTo(): string | undefined {
    return this.memory.handled.get(this.name);
  }

  get idle(): boolean {
    return this.pending.length === 0 && !this.running;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  private get trigger() {
    const trigger = this.consumer.spec.trigger;
    if (trigger.type !== "stream") throw new Error(`${this.name} is not a stream processor`);
    return trigger;
  }

  /** Takes newly read records; records this consumer has already handled (before a restart) are ignored. */
  accept(records: DynamoDBRecord[]): void {
    const after = this.handledUpTo;
    for (const record of records) {
      if (after !== undefined && !isAfter(sequenceNumberOf(record), after)) continue;
      this.pending.push({ record, matches: matchesAnyPattern(this.trigger.filters, record) });
    }
    this.kick();
  }

  /** Resolves when the invocation in progress (if any) has finished. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private kick(): void {
    if (this.running || this.pending.length === 0 || this.context.signal.aborted) return;
    this.running = this.work()
      .catch((error: unknown) => this.context.log("stream consumer failed unexpectedly", { function: this.name, error: String(error) }))
      .finally(() => {
        this.running = undefined;
        this.kick();
      });
  }

  private async work(): Promise<void> {
    const { maxRetries } = this.trigger;
    while (!this.context.signal.aborted) {
      this.skipUnmatchedHead();
      if (this.pending.length === 0) return;
      const batch = this.nextBatch();
      const outcome = await this.deliver(batch);
      if (outcome.failedAt === undefined) {
        this.completeThrough(batch.at(-1)!);
        continue;
      }
      const failed = batch[outcome.failedAt]!;
      // Records before the first failure are done, as with ReportBatchItemFailures.
      this.completeBefore(failed);
      const failedSequenceNumber = sequenceNumberOf(failed);
      if (this.retry.sequenceNumber !== failedSequenceNumber) this.retry = { sequenceNumber: failedSequenceNumber, count: 0 };
      if (this.retry.count >= maxRetries) {
        const rest = batch.slice(outcome.failedAt);
        if (!(await this.deadLetter(rest, this.retry.count + 1, outcome.threw))) return;
        this.completeThrough(rest.at(-1)!);
        this.retry = { sequenceNumber: "", count: 0 };
      } else {
        this.retry.count += 1;
        await sleep(backoff(this.retry.count, RETRY_BACKOFF_FIRST_MS, RETRY_BACKOFF_MAX_MS), this.context.signal);
      }
    }
  }

  /** Records the consumer's filters leave out are handled by skipping them. */
  private skipUnmatchedHead(): void {
    let skipped: PendingRecord | undefined;
    while (this.pending[0] && !this.pending[0].matches) skipped = this.pending.shift();
    if (skipped) this.markHandled(skipped.record);
  }

  /** The next matching records, up to the batch size, in stream order. */
  private nextBatch(): DynamoDBRecord[] {
    const batch: DynamoDBRecord[] = [];
    for (const entry of this.pending) {
      if (!entry.matches) continue;
      if (batch.length === this.trigger.batchSize) break;
      batch.push(entry.record);
    }
    return batch;
  }

  private async deliver(batch: DynamoDBRecord[]): Promise<DeliveryOutcome> {
    const started = Date.now();
    // Each invocation gets its own copy, as each Lambda invocation gets its own JSON.
    const event: DynamoDBStreamEvent = structuredClone({ Records: batch });
    try {
      const response = await invoke(this.consumer.spec, this.consumer.handler, event);
      const failedAt = firstReportedFailure(response, batch);
      this.context.log("stream batch", { function: this.name, records: batch.length, failedFrom: failedAt === undefined ? null : sequenceNumberOf(batch[failedAt]!), ms: Date.now() - started });
      return { failedAt, threw: false };
    } catch (error) {
      this.context.log("stream batch failed", { function: this.name, records: batch.length, error: String(error), ms: Date.now() - started });
      return { failedAt: 0, threw: true };
    }
  }

  /** Sends the records to the consumer's dead-letter queue, retrying until it works; false if the poller stopped first. */
  private async deadLetter(records: DynamoDBRecord[], invokeCount: number, threw: boolean): Promise<boolean> {
    const body = failureMessage({
      functionArn: lambdaContext(this.consumer.spec).invokedFunctionArn,
      shardId: this.shardId,
      streamArn: this.context.streamArn,
      records,
      invokeCount,
      threw,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.context.sqs.send(new SendMessageCommand({ QueueUrl: this.consumer.deadLetterQueueUrl, MessageBody: body }));
        this.context.log("stream records sent to the dead-letter queue after their retries", {
          function: this.name,
          records: records.length,
          firstSequenceNumber: sequenceNumberOf(records[0]!),
        });
        return true;
      } catch (error) {
        this.context.log("cannot send failed stream records to the dead-letter queue; retrying", { function: this.name, error: String(error) });
        await sleep(backoff(attempt, 200, ERROR_BACKOFF_MAX_MS), this.context.signal);
        if (this.context.signal.aborted) return false;
      }
    }
  }

  private completeBefore(record: DynamoDBRecord): void {
    const index = this.pending.findIndex((entry) => entry.record === record);
    if (index > 0) this.markHandled(this.pending.splice(0, index).at(-1)!.record);
  }

  private completeThrough(record: DynamoDBRecord): void {
    const index = this.pending.findIndex((entry) => entry.record === record);
    this.markHandled(this.pending.splice(0, index + 1).at(-1)!.record);
  }

  private markHandled(record: DynamoDBRecord): void {
    this.memory.handled.set(this.name, sequenceNumberOf(record));
  }
}

/** Where a reader resumes when every lane has handled something already: after the least advanced lane. */
function resumePoint(reader: ShardReader): string | undefined {
  const positions = reader.lanes.map((lane) => lane.handledUpTo);
  if (positions.some((position) => position === undefined)) return undefined;
  return (positions as string[]).reduce((lowest, position) => (isAfter(lowest, position) ? position : lowest));
}

/**
 * The index of the first record to retry, from a response with ReportBatchItemFailures.
 * As in Lambda, an identifier that is missing or not in the batch fails the whole batch.
 */
function firstReportedFailure(response: unknown, batch: DynamoDBRecord[]): number | undefined {
  const failures = (response as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return undefined;
  let first = batch.length;
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof identifier === "string" && identifier ? batch.findIndex((record) => sequenceNumberOf(record) === identifier) : -1;
    if (index < 0) return 0;
    first = Math.min(first, index);
  }
  return first;
}

// ---------------------------------------------------------------------------
// Shapes

/** A record as GetRecords returns it, in the shape Lambda delivers it. */
function toLambdaRecord(record: RawStreamRecord, streamArn: string, region: string): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  const dynamodb = withoutUndefined<StreamRecord>({
    ApproximateCreationDateTime: change.ApproximateCreationDateTime ? change.ApproximateCreationDateTime.getTime() / 1000 : undefined,
    Keys: toLambdaImage(change.Keys),
    NewImage: toLambdaImage(change.NewImage),
    OldImage: toLambdaImage(change.OldImage),
    SequenceNumber: change.SequenceNumber,
    SizeBytes: change.SizeBytes,
    StreamViewType: change.StreamViewType as StreamRecord["StreamViewType"],
  });
  return withoutUndefined<DynamoDBRecord>({
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord["eventName"],
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: region,
    dynamodb,
    eventSourceARN: streamArn,
    // Present on deletions made by TTL: { type: "Service", principalId: "dynamodb.amazonaws.com" }.
    userIdentity: record.userIdentity ? { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } : undefined,
  });
}

function toLambdaImage(image: Record<string, StreamAttributeValue> | undefined): Record<string, AttributeValue> | undefined {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaAttribute(value)]));
}

/** Binary values travel as base64 strings in Lambda's JSON; everything else is already JSON. */
function toLambdaAttribute(value: StreamAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString("base64") } as AttributeValue;
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString("base64")) } as AttributeValue;
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) } as AttributeValue;
  if (value.M !== undefined) return { M: toLambdaImage(value.M) } as AttributeValue;
  return { ...value } as AttributeValue;
}

/** The JSON Lambda sends to a stream mapping's on-failure destination, with the failed records added. */
function failureMessage(failure: { functionArn: string; shardId: string; streamArn: string; records: DynamoDBRecord[]; invokeCount: number; threw: boolean }): string {
  const first = failure.records[0]!.dynamodb!;
  const last = failure.records.at(-1)!.dynamodb!;
  const arrival = (seconds: number | undefined) => (seconds === undefined ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"));
  const message = {
    requestContext: {
      requestId: randomUUID(),
      functionArn: failure.functionArn,
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: failure.invokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", ...(failure.threw ? { functionError: "Unhandled" } : {}) },
    version: "1.0",
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: failure.shardId,
      startSequenceNumber: first.SequenceNumber,
      endSequenceNumber: last.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last.ApproximateCreationDateTime),
      batchSize: failure.records.length,
      streamArn: failure.streamArn,
    },
    // Not in AWS's message, which points at the stream positions only: locally the records are easier to inspect and replay this way.
    records: failure.records,
  };
  const body = JSON.stringify(message);
  if (Buffer.byteLength(body) <= MAX_MESSAGE_BYTES) return body;
  return JSON.stringify({ ...message, records: undefined, recordsOmitted: "too large for one SQS message; see the stream positions above" });
}

// ---------------------------------------------------------------------------
// Helpers

function sequenceNumberOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? "";
}

/** Sequence numbers are decimal strings of varying length. */
function isAfter(sequenceNumber: string, other: string): boolean {
  return BigInt(sequenceNumber) > BigInt(other);
}

/** Doubles from `firstMs` with each attempt, up to `maxMs`. */
function backoff(attempt: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** (attempt - 1));
}

/** Waits, or returns early when the signal aborts. */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

function withoutUndefined<T>(value: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
