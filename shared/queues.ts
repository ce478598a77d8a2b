/**
 * The hub's queues as the functions see them: each function that sends to a
 * queue gets its URL in QUEUE_URL_<NAME> (the wiring table grants the access
 * and sets the variable, in AWS and locally alike).
 */
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { queueUrlEnvName } from "./queue-names";

/** Created once per function instance. The endpoint comes from AWS_ENDPOINT_URL_SQS when running locally. */
const sqs = new SQSClient({});

export { queueUrlEnvName };

export function queueUrl(queue: string): string {
  const url = process.env[queueUrlEnvName(queue)];
  if (!url) throw new Error(`${queueUrlEnvName(queue)} is not set: the function has no access to the ${queue} queue`);
  return url;
}

export async function sendToQueue(queue: string, body: unknown): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: JSON.stringify(body) }));
}

/** Sets when a received message shows up again: the consumer's backoff before the next try. */
export async function retryAfter(queue: string, receiptHandle: string, seconds: number): Promise<void> {
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl(queue), ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
}
