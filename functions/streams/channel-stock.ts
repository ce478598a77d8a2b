import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateChannelStock } from "../../shared/streams/channel-stock";

/** Stock changes of products and variants -> the ERP quantity of their SKU, and a push of it to every channel. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateChannelStock(event.Records);
