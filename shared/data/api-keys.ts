import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import { queryCollectionPage, queryWholeCollection } from "./collections";
import type { Role } from "../domain/roles";

/**
 * API keys.
 * Access patterns:
 * - authorize a request by the key's hash ........ GetItem pk = APIKEY#<sha256>, sk = APIKEY
 * - list keys ..................................... byCollection: gsi1pk = APIKEYS, gsi1sk = KEY#<key_id>
 * - find a key by its public id (to revoke it) .... byCollection: gsi1pk = APIKEYS, gsi1sk = KEY#<key_id>
 */
export interface ApiKeyRecord {
  key_id: string;
  name: string;
  role: Role;
  storefront_ids: number[] | null;
  created_at: string;
  revoked_at: string | null;
}

const keyOf = (hash: string) => ({ pk: `APIKEY#${hash}`, sk: "APIKEY" });
const COLLECTION = "APIKEYS";

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  return {
    key_id: item.key_id as string,
    name: item.name as string,
    role: item.role as Role,
    storefront_ids: (item.storefront_ids as number[] | undefined) ?? null,
    created_at: item.created_at as string,
    revoked_at: (item.revoked_at as string | undefined) ?? null,
  };
}

export async function putApiKey(hash: string, record: ApiKeyRecord): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keyOf(hash), gsi1pk: COLLECTION, gsi1sk: `KEY#${record.key_id}`, entity: "api_key", ...record },
    }),
  );
}

export async function getApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: keyOf(hash) }));
  return Item ? toRecord(Item) : undefined;
}

export async function listApiKeys(): Promise<ApiKeyRecord[]> {
  return (await queryWholeCollection(COLLECTION)).map(toRecord);
}

/** Revokes a key by its public id; false when there is no such active key. */
export async function revokeApiKey(keyId: string, at: string): Promise<boolean> {
  const { items } = await queryCollectionPage(COLLECTION, { sortKeyEquals: `KEY#${keyId}` });
  const item = items[0];
  if (!item || item.revoked_at) return false;
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: "SET revoked_at = :at",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":at": at },
    }),
  );
  return true;
}
