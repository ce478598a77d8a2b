import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateDailyAggregates } from "../../shared/streams/analytics-counters";

/** Order and cart changes -> the analytics' daily counters (exactly once) and customer sketches. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateDailyAggregates(event.Records);
