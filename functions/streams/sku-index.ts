import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateSkuIndex } from "../../shared/streams/sku-index";

/** Product and variant SKU changes -> the SKU index order import links lines by. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateSkuIndex(event.Records);
