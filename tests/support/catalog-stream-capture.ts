/**
 * A stand-in stream consumer that only records the batches the local stack
 * delivers to it, so that a test can hand the very same batches (real stream
 * records, in Lambda's shape) to the real processor, as often as it likes.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";

export const capturedBatches: DynamoDBStreamEvent[] = [];

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  capturedBatches.push(structuredClone(event));
  return { batchItemFailures: [] };
};
