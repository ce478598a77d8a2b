import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateInventory } from "../../shared/streams/inventory";

/** Order item fulfilment and restock -> product and variant stock, exactly once. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateInventory(event.Records);
