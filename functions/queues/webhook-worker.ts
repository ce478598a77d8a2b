import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { processDeliveries } from "../../shared/webhooks/worker";

/** Queued webhook deliveries -> the catalog, orders, customers and payments. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => processDeliveries(event.Records);
