import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { processEmailEvents } from "../../shared/carts/email-event-handler";

/** SES bounces and complaints (through SNS) -> the storefronts' suppression lists. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => processEmailEvents(event.Records);
