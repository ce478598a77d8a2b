import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { convertCarts } from "../../shared/streams/cart-conversion";

/** Orders naming a cart or checkout -> that cart converted (or recovered). */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => convertCarts(event.Records);
