import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";

/**
 * The partial-batch response for a batch whose records before `failedAt` were
 * handled: the failed record and every later one are reported, so that Lambda
 * retries from there (it retries from the lowest sequence number reported).
 */
export function failuresFrom(records: DynamoDBRecord[], failedAt: number | undefined): DynamoDBBatchResponse {
  if (failedAt === undefined) return { batchItemFailures: [] };
  return { batchItemFailures: records.slice(failedAt).map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" })) };
}
