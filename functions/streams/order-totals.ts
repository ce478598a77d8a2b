import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateOrderTotals } from "../../shared/streams/order-totals";

/** Order item changes -> the order's subtotal and total, recomputed from its items. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateOrderTotals(event.Records);
