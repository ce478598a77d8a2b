/**
 * The storefront a webhook URL names, with the secrets its deliveries may be
 * signed with. Decrypting secrets costs a KMS call, so each instance keeps
 * what it read for a minute; a delivery whose signature fails against a
 * cached entry reads the storefront again once (the secret may just have
 * been rotated) before it is refused.
 */
import { getStorefront, getStorefrontIdByCode, type EncryptedCredential } from "../data/storefronts";
import { credentialsCipher } from "../security/credentials-cipher";

/** How long a replaced webhook secret is still accepted. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3600 * 1000;
const CACHE_TTL_MS = 60_000;

export interface WebhookStorefront {
  storefront_id: number;
  storefront_code: string;
  platform_type: string;
  is_active: boolean;
  /** The current secret first, then the previous one while its grace period lasts. */
  secrets: string[];
}

interface Cached {
  value: WebhookStorefront;
  loadedAt: number;
}

const cache = new Map<string, Cached>();

const decrypt = (storefrontId: number, credential: EncryptedCredential) =>
  credentialsCipher().decrypt(credential.ciphertext, { storefront_id: String(storefrontId), field: "webhook_secret" });

async function load(code: string, now: number): Promise<WebhookStorefront | null> {
  const id = await getStorefrontIdByCode(code);
  const storefront = id === undefined ? undefined : await getStorefront(id);
  if (!storefront) return null;
  const secrets: string[] = [];
  if (storefront.credentials.webhook_secret) secrets.push(await decrypt(storefront.storefront_id, storefront.credentials.webhook_secret));
  const previous = storefront.previous_webhook_secret;
  if (previous && now - Date.parse(previous.retired_at) < PREVIOUS_SECRET_GRACE_MS) secrets.push(await decrypt(storefront.storefront_id, previous));
  return {
    storefront_id: storefront.storefront_id,
    storefront_code: storefront.storefront_code,
    platform_type: storefront.platform_type,
    is_active: storefront.is_active,
    secrets,
  };
}

/** The storefront by code (case as stored), from this instance's cache unless `fresh`; null when unknown. */
export async function webhookStorefront(code: string, options: { fresh?: boolean } = {}): Promise<{ storefront: WebhookStorefront | null; cached: boolean }> {
  const now = Date.now();
  const key = code.toUpperCase();
  const hit = cache.get(key);
  if (hit && !options.fresh && now - hit.loadedAt < CACHE_TTL_MS) return { storefront: hit.value, cached: true };
  const value = await load(key, now);
  // An unknown code is not remembered: the storefront may be created a moment later.
  if (value) cache.set(key, { value, loadedAt: now });
  else cache.delete(key);
  return { storefront: value, cached: false };
}
