import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateCartCounters } from "../../shared/streams/cart-counters";

/** Cart changes -> storefront cart counters per currency, exactly once. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateCartCounters(event.Records);
