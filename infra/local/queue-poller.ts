/**
 * Local stand-in for Lambda's SQS event source mapping (with
 * ReportBatchItemFailures): long-polls the queue, invokes the consumer with an
 * SQSEvent, and deletes the messages that did not fail.
 *
 * Failed messages are simply left alone, as Lambda leaves them: they reappear
 * once their visibility timeout ends, and the queue's redrive policy moves
 * them to the dead-letter queue after `maxReceiveCount` receives. That part is
 * the queue's job (the emulator implements it), not the poller's.
 */
import { setTimeout as delay } from "node:timers/promises";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSMessageAttribute, SQSRecord, SQSRecordAttributes } from "aws-lambda";
import type { FunctionSpec } from "../wiring";
import { invoke, type LoadedHandler } from "./invoke";
import type { Poller } from "./stream-poller";

export interface QueuePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  spec: FunctionSpec;
  handler: LoadedHandler;
  /** Long-poll duration; SQS allows up to 20 s. Shorter waits let a stopped poller's abandoned poll end sooner on the server. */
  waitTimeSeconds?: number;
  log: (message: string, detail?: Record<string, unknown>) => void;
}

/** SQS hands out at most 10 messages per receive. */
const MAX_MESSAGES_PER_RECEIVE = 10;
const ERROR_BACKOFF_FIRST_MS = 200;
const ERROR_BACKOFF_MAX_MS = 5_000;
const DRAIN_CHECK_INTERVAL_MS = 50;
const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;

export function startQueuePoller(options: QueuePollerOptions): Poller {
  const { sqs, queueUrl, queueArn, spec, handler, log } = options;
  if (spec.trigger.type !== "queue") throw new Error(`${spec.name} is not a queue consumer (its trigger is ${spec.trigger.type})`);
  const batchSize = Math.max(1, Math.min(MAX_MESSAGES_PER_RECEIVE, spec.trigger.batchSize));
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  const region = process.env.AWS_REGION ?? "us-east-1";
  // Aborting ends a long poll at once, so that stop() is prompt even with several pollers in one process.
  const stopping = new AbortController();
  let batchInProgress = false;
  let stopped: Promise<void> | undefined;

  async function processBatch(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((message) => toSqsRecord(message, queueArn, region)) };
    const started = Date.now();
    let failedIds: Set<string>;
    try {
      failedIds = reportedFailures(await invoke(spec, handler, event), event);
    } catch (error) {
      // A thrown error fails the whole batch: nothing is deleted, every message comes back after its visibility timeout.
      log("queue batch failed", { function: spec.name, messages: messages.length, error: String(error), ms: Date.now() - started });
      return;
    }
    log("queue batch", { function: spec.name, messages: messages.length, failed: failedIds.size, ms: Date.now() - started });
    await deleteMessages(messages.filter((message) => !failedIds.has(message.MessageId!)));
  }

  async function deleteMessages(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_RECEIVE) {
      const chunk = messages.slice(start, start + MAX_MESSAGES_PER_RECEIVE);
      try {
        const { Failed } = await sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })) }),
        );
        // A message that cannot be deleted comes back and is processed again: at-least-once delivery, as in AWS.
        if (Failed?.length) log("some processed messages could not be deleted and will be delivered again", { function: spec.name, failed: Failed });
      } catch (error) {
        log("cannot delete processed messages; they will be delivered again", { function: spec.name, error: String(error) });
      }
    }
  }

  const loop = (async () => {
    let consecutiveFailures = 0;
    while (!stopping.signal.aborted) {
      try {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
          { abortSignal: stopping.signal },
        );
        consecutiveFailures = 0;
        if (!Messages?.length) continue;
        batchInProgress = true;
        try {
          await processBatch(Messages);
        } finally {
          batchInProgress = false;
        }
      } catch (error) {
        if (stopping.signal.aborted) break;
        consecutiveFailures += 1;
        log("cannot receive from the queue; retrying", { function: spec.name, queueUrl, error: String(error) });
        await delay(Math.min(ERROR_BACKOFF_MAX_MS, ERROR_BACKOFF_FIRST_MS * 2 ** (consecutiveFailures - 1)), undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  })();

  async function outstandingMessages(): Promise<Record<string, number>> {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
      }),
    );
    return {
      visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  return {
    async drain(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS) {
      if (stopping.signal.aborted) throw new Error(`The poller of ${spec.name} is stopped; nothing more will be processed`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // In-flight messages include failed ones waiting out their visibility timeout: they will come back (or go to the dead-letter queue).
        const counts = await outstandingMessages();
        // Messages of a batch in progress stay in flight until they are deleted, so zero counts and no batch mean everything is done.
        if (counts.visible === 0 && counts.inFlight === 0 && counts.delayed === 0 && !batchInProgress) return;
        if (stopping.signal.aborted) throw new Error(`The poller of ${spec.name} was stopped while draining`);
        if (Date.now() > deadline) {
          throw new Error(`The queue of ${spec.name} still had messages after ${timeoutMs} ms: ${JSON.stringify({ ...counts, batchInProgress })}`);
        }
        await delay(DRAIN_CHECK_INTERVAL_MS);
      }
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        // The batch in progress (if any) finishes, deletions included.
        await loop;
      })();
      return stopped;
    },
  };
}

/**
 * The IDs of the messages to keep, from a response with ReportBatchItemFailures.
 * As in Lambda, an identifier that is missing or not in the batch fails the whole batch.
 */
function reportedFailures(response: unknown, event: SQSEvent): Set<string> {
  const failures = (response as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return new Set();
  const ids = new Set(event.Records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof identifier !== "string" || !ids.has(identifier)) return ids;
    failed.add(identifier);
  }
  return failed;
}

/** A received message, in the shape Lambda delivers it. */
function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const { ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, ...otherAttributes } = message.Attributes ?? {};
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: ApproximateReceiveCount ?? "1",
    SentTimestamp: SentTimestamp ?? "",
    SenderId: SenderId ?? "",
    ApproximateFirstReceiveTimestamp: ApproximateFirstReceiveTimestamp ?? "",
    ...otherAttributes,
  };
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? "",
    attributes,
    messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, toLambdaMessageAttribute(value)])),
    md5OfBody: message.MD5OfBody ?? "",
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Lambda spells message attributes in camelCase, with binary values in base64 and the (unused) list fields present. */
function toLambdaMessageAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((bytes) => Buffer.from(bytes).toString("base64")),
    dataType: value.DataType ?? "String",
  };
}
