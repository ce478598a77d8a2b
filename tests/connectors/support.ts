/** Storefront records and a fake clock for the connector tests. */
import { randomBytes } from "node:crypto";
import type { StorefrontItem } from "../../shared/data/storefronts";
import type { CredentialField } from "../../shared/schemas/storefront";
import { localCipher, type CredentialsCipher } from "../../shared/security/credentials-cipher";
import type { Clock } from "../../shared/connectors/http-retry";

export const testCipher = localCipher(randomBytes(32));

/** The cipher, counting decryptions. */
export function countingCipher(cipher: CredentialsCipher = testCipher): CredentialsCipher & { decrypted: string[] } {
  const decrypted: string[] = [];
  return {
    decrypted,
    encrypt: (plaintext, context) => cipher.encrypt(plaintext, context),
    decrypt: async (ciphertext, context) => {
      decrypted.push(context.field);
      return cipher.decrypt(ciphertext, context);
    },
  };
}

export async function storefrontRecord(
  platformType: string,
  endpoint: string | null,
  secrets: Partial<Record<CredentialField, string>>,
  storefrontId = 7,
): Promise<StorefrontItem> {
  const credentials: StorefrontItem["credentials"] = {};
  for (const [field, plaintext] of Object.entries(secrets) as [CredentialField, string][]) {
    credentials[field] = { ciphertext: await testCipher.encrypt(plaintext, { storefront_id: String(storefrontId), field }), last4: plaintext.slice(-4) };
  }
  const now = "2024-01-01T00:00:00.000Z";
  return {
    storefront_id: storefrontId,
    storefront_code: `SF-${storefrontId}`,
    storefront_name: "Test storefront",
    platform_type: platformType,
    platform_url: null,
    api_endpoint: endpoint,
    credentials,
    default_currency: "USD",
    default_language: "en",
    timezone: "UTC",
    auto_sync_products: true,
    auto_sync_orders: true,
    auto_sync_inventory: true,
    auto_sync_customers: false,
    sync_frequency_minutes: 15,
    last_product_sync_at: null,
    last_order_sync_at: null,
    last_inventory_sync_at: null,
    last_customer_sync_at: null,
    auto_create_sales_orders: false,
    auto_fulfill_orders: false,
    order_prefix: null,
    is_active: true,
    is_connected: false,
    connection_status: "disconnected",
    created_by: null,
    created_at: now,
    updated_at: now,
  };
}

/** A clock whose sleeps advance it at once. */
export function fakeClock(start = Date.parse("2024-06-01T00:00:00Z")): Clock & { slept: number[]; time: number } {
  const clock = {
    time: start,
    slept: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}
