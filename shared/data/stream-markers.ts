/**
 * Stream-record markers: a stream processor writes one per record it applies,
 * in the same transaction as the record's changes, put only if absent, so that
 * a redelivered record finds it and changes nothing twice. Each marker has a
 * partition of its own (spread over the table, never in an entity's Query) and
 * expires after a few days, well after the stream (24 hours) dropped the record.
 */
import { TTL_ATTRIBUTE } from "./table-definition";
import { tableName } from "./client";

const MARKER_LIFETIME_SECONDS = 3 * 24 * 3600;

/** The transaction action that puts the marker of `consumer` for the record `eventId`, failing if it is there. */
export function streamMarkerPut(consumer: string, eventId: string, now = Date.now()) {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: `APPLIED#${consumer}#${eventId}`, sk: "APPLIED", entity: "stream_marker", [TTL_ATTRIBUTE]: Math.floor(now / 1000) + MARKER_LIFETIME_SECONDS },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}
