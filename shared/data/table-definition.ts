/**
 * The one table. Generic key attributes; entity-prefixed key values; each
 * global secondary index is named after the access patterns it serves.
 * Both the CDK stack and the local stack create the table from this module.
 *
 * Access patterns (entity modules document their own keys):
 * - get one entity by id ................................ pk = <ENTITY>#<id>, sk = <ENTITY>
 * - list the members of a collection in order ........... index byCollection: gsi1pk = <collection>, gsi1sk = <sort>
 */
export const TABLE_KEYS = { partitionKey: "pk", sortKey: "sk" } as const;

export const INDEXES = {
  /** Lists of an entity kind (storefronts, API keys, ...) in a stable order. */
  byCollection: { name: "byCollection", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
} as const;

/** Items carrying this attribute (epoch seconds) are deleted by DynamoDB's TTL. */
export const TTL_ATTRIBUTE = "expires_at";
