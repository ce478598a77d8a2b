/**
 * The hub's queues as the functions see them: each function that sends to a
 * queue gets its URL in QUEUE_URL_<NAME> (the wiring table grants the access
 * and sets the variable, in AWS and locally alike).
 */
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { queueUrlEnvName } from "./queue-names";

/** Created once per function instance. The endpoint comes from AWS_ENDPOINT_URL_SQS when running locally. */
const sqs = new SQSClient({});

export { queueUrlEnvName };

export function queueUrl(queue: string): string {
  const url = process.env[queueUrlEnvName(queue)];
  if (!url) throw new Error(`${queueUrlEnvName(queue)} is not set: the function has no access to the ${queue} queue`);
  return url;
}

/** Sends one message; with `delaySeconds` it becomes visible only after that long. */
export async function sendToQueue(queue: string, body: unknown, options: { delaySeconds?: number } = {}): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: JSON.stringify(body), DelaySeconds: options.delaySeconds }));
}

const MAX_BATCH = 10;
const PARALLEL_BATCHES = 8;

/** Sends many messages, ten a request and several requests at a time; throws if any message was refused. */
export async function sendBatchToQueue(queue: string, bodies: unknown[]): Promise<void> {
  const batches: unknown[][] = [];
  for (let start = 0; start < bodies.length; start += MAX_BATCH) batches.push(bodies.slice(start, start + MAX_BATCH));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const out = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl(queue), Entries: batch.map((body, index) => ({ Id: String(index), MessageBody: JSON.stringify(body) })) }),
      );
      if (out.Failed && out.Failed.length > 0) throw new Error(`${out.Failed.length} message(s) refused by the ${queue} queue: ${out.Failed[0]!.Code}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, lane));
}

/** Sets when a received message shows up again: the consumer's backoff before the next try. */
export async function retryAfter(queue: string, receiptHandle: string, seconds: number): Promise<void> {
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl(queue), ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
}

/**
 * A retried message's delay: exponential in its receives, with full jitter
 * (a whole number of seconds from 1 to min(max, base^receives)), so that
 * messages that failed together do not all come back at once.
 */
export function backoffSeconds(receives: number, policy: { base: number; max: number }, random: () => number = Math.random): number {
  return Math.max(1, Math.ceil(random() * Math.min(policy.max, policy.base ** receives)));
}
