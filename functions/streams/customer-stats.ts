import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateCustomerStats } from "../../shared/streams/customer-stats";

/** Order changes -> the order summaries in the customer's partition and the customer's statistics. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateCustomerStats(event.Records);
