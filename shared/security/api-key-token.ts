import { createHash, randomBytes } from "node:crypto";

/**
 * API keys are random tokens shown once; only their SHA-256 is stored.
 * Tokens carry 256 bits of randomness, so a fast hash is enough: there is
 * nothing to brute-force.
 */
export const API_KEY_PREFIX = "och_";

export function newApiKeyToken(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

export function hashApiKey(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The public id of a key: the first 12 hex digits of its hash, safe to show and log. */
export function apiKeyId(hash: string): string {
  return hash.slice(0, 12);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1];
}
