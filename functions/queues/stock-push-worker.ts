import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { processStockPushes } from "../../shared/stock/push-worker";

/** Queued stock pushes -> each SKU's ERP quantity onto its listings and out to their platforms. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => processStockPushes(event.Records);
