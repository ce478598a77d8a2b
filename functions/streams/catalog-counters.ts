import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateCatalogCounters } from "../../shared/streams/catalog-counters";

/** Product changes -> storefront catalog counters and category product counts, exactly once. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateCatalogCounters(event.Records);
