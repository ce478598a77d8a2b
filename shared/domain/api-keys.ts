import { apiKeyId, bearerToken, hashApiKey, newApiKeyToken } from "../security/api-key-token";
import { getApiKeyByHash, putApiKey, type ApiKeyRecord } from "../data/api-keys";
import type { Principal, Role } from "./roles";

export interface IssuedApiKey {
  /** Shown once, never stored. */
  token: string;
  record: ApiKeyRecord;
}

export async function issueApiKey(input: { name: string; role: Role; storefrontIds: number[] | null; token?: string }): Promise<IssuedApiKey> {
  const token = input.token ?? newApiKeyToken();
  const hash = hashApiKey(token);
  const record: ApiKeyRecord = {
    key_id: apiKeyId(hash),
    name: input.name,
    role: input.role,
    storefront_ids: input.storefrontIds,
    created_at: new Date().toISOString(),
    revoked_at: null,
  };
  await putApiKey(hash, record);
  return { token, record };
}

/** Resolves the caller from an `Authorization: Bearer <key>` header; `undefined` when missing, unknown or revoked. */
export async function authenticate(authorization: string | undefined): Promise<Principal | undefined> {
  const token = bearerToken(authorization);
  if (!token) return undefined;
  const record = await getApiKeyByHash(hashApiKey(token));
  if (!record || record.revoked_at) return undefined;
  return { keyId: record.key_id, role: record.role, storefrontIds: record.storefront_ids };
}
