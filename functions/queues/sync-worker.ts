import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { processSyncMessages } from "../../shared/sync/worker";

/** Queued sync runs -> the platform's products, orders and customers into the hub. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => processSyncMessages(event.Records);
