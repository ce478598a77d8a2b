import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateOrderCounters } from "../../shared/streams/order-counters";

/** Order changes -> storefront order counters and product sales statistics, exactly once. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateOrderCounters(event.Records);
