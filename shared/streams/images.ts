import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { AttributeValue as StreamAttributeValue, DynamoDBRecord } from "aws-lambda";

type Image = Record<string, unknown>;

/** The item before and after the change a stream record describes; absent on an insert and on a removal respectively. */
export interface ChangeImages {
  before: Image | undefined;
  after: Image | undefined;
}

// Lambda's stream JSON and the SDK's attribute values differ only for binary values, which catalog items do not hold.
const plain = (image: Record<string, StreamAttributeValue> | undefined): Image | undefined =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

/** Reads a record's images as plain objects (the table's stream carries NEW_AND_OLD_IMAGES). */
export function imagesOf(record: DynamoDBRecord): ChangeImages {
  return { before: plain(record.dynamodb?.OldImage), after: plain(record.dynamodb?.NewImage) };
}
