import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { updateCategoryPaths } from "../../shared/streams/category-paths";

/** Category changes -> the paths of the categories below them. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => updateCategoryPaths(event.Records);
