/**
 * The connection test a storefront gets when it is created, or updated in
 * what its connection depends on: one cheap authenticated read, bounded (one
 * attempt, a short timeout, no waiting out a throttle). Its outcome is
 * stored: connected, or in error with the platform's words (never a
 * credential) and the kind of failure the sync schedule goes by.
 */
import { credentialsCipher, type CredentialsCipher } from "../security/credentials-cipher";
import { connectorFor, ConnectorError, ConnectorNotConfigured, CredentialsRejected, hasConnector, type ConnectorDeps } from "../connectors/connector";
import { logger } from "../logger";
import { MAX_CONNECTION_ERROR_LENGTH, type StorefrontItem } from "../data/storefronts";
import type { CredentialField, UpdateStorefrontInput } from "../schemas/storefront";

/** Ciphertexts made by this request, with their plaintext: the connection test uses them without decrypting. */
export type JustEncrypted = Map<string, string>;

/** The connection test's bounds: one attempt, a short timeout, no waiting out a throttle. */
export const CONNECTION_TEST_TIMEOUT_MS = 5_000;
const CONNECTION_TEST_DEPS: ConnectorDeps = {
  timeoutMs: CONNECTION_TEST_TIMEOUT_MS,
  retry: { maxAttempts: 1 },
  shopify: { maxThrottledRetries: 0 },
};

/** The fields a connection test sets: connected, or in error with the platform's words (never a credential). */
type ConnectionOutcome = Pick<StorefrontItem, "connection_status" | "is_connected" | "connection_error" | "connection_failure">;

/** Credentials the connector uses; the webhook secret is not one of them. */
const CONNECTION_CREDENTIALS = ["api_key", "api_secret", "api_token"] as const satisfies readonly CredentialField[];

/** A cipher that knows this request's plaintexts, and decrypts only the credentials stored before it. */
function cipherKnowing(justEncrypted: JustEncrypted): CredentialsCipher {
  return {
    encrypt: (plaintext, context) => credentialsCipher().encrypt(plaintext, context),
    decrypt: async (ciphertext, context) => justEncrypted.get(ciphertext) ?? credentialsCipher().decrypt(ciphertext, context),
  };
}

/**
 * Tests the storefront's connection with one cheap authenticated read.
 * Undefined when it cannot be tested (it lacks a credential or an address the
 * connector needs, or the test itself could not be carried out): the
 * storefront keeps the status it has.
 */
export async function testConnection(storefront: StorefrontItem, justEncrypted: JustEncrypted): Promise<ConnectionOutcome | undefined> {
  try {
    await connectorFor(storefront, { ...CONNECTION_TEST_DEPS, cipher: cipherKnowing(justEncrypted) }).testConnection();
    return { connection_status: "connected", is_connected: true, connection_error: undefined, connection_failure: undefined };
  } catch (error) {
    if (error instanceof ConnectorNotConfigured) return undefined;
    if (error instanceof ConnectorError) {
      const failure = error instanceof CredentialsRejected ? "credentials_rejected" : "platform_error";
      logger.info("a storefront's connection test failed", { storefrontId: storefront.storefront_id, failure });
      return { connection_status: "error", is_connected: false, connection_error: error.message.slice(0, MAX_CONNECTION_ERROR_LENGTH), connection_failure: failure };
    }
    // A decryption failure or a fault of ours: the storefront is saved all the same, untested.
    logger.error("a storefront's connection could not be tested", { storefrontId: storefront.storefront_id, failure: (error as Error).name });
    return undefined;
  }
}

/** Whether a storefront is tested when saved: active, on a platform with a connector, and not declared unconnected by the request. */
export const isTestable = (storefront: StorefrontItem, input: { is_connected?: boolean }) =>
  storefront.is_active && hasConnector(storefront.platform_type) && input.is_connected !== false;

/** An update changes what the connection depends on: the platform, its address, or a credential the connector uses. */
export function changesConnection(current: StorefrontItem, input: UpdateStorefrontInput): boolean {
  return (
    (input.platform_type !== undefined && input.platform_type !== current.platform_type) ||
    (input.platform_url !== undefined && input.platform_url !== current.platform_url) ||
    (input.api_endpoint !== undefined && input.api_endpoint !== current.api_endpoint) ||
    CONNECTION_CREDENTIALS.some((field) => input[field] !== undefined)
  );
}

/** The storefront with the test's outcome applied, if any; an error goes once the status is no longer error. */
export function withOutcome(storefront: StorefrontItem, outcome: ConnectionOutcome | undefined): StorefrontItem {
  const next = { ...storefront, ...outcome };
  if (next.connection_status !== "error" || next.connection_error === undefined) delete next.connection_error;
  if (next.connection_status !== "error" || next.connection_failure === undefined) delete next.connection_failure;
  return next;
}
