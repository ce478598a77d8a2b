import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { processRecoveryMessages } from "../../shared/carts/recovery-sender";

/** Queued (cart, step) pairs -> recovery emails through SES, each at most once. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => processRecoveryMessages(event.Records);
