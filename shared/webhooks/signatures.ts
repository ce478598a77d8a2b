/**
 * Webhook signatures, checked over the exact bytes received with a
 * constant-time compare, against every secret the storefront accepts
 * (the current one and, while a rotation settles, the previous one).
 * - Shopify: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(secret, body)).
 * - WooCommerce: X-WC-Webhook-Signature = base64(HMAC-SHA256(secret, body)).
 * - The generic endpoint, the way Stripe signs: X-Ocean-Signature =
 *   "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>[,v1=...]",
 *   refused when t is more than the tolerance away from now.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const TIMESTAMP_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { valid: true } | { valid: false; reason: "missing_signature" | "invalid_signature" | "stale_timestamp" };

const hmac = (secret: string, ...parts: (string | Buffer)[]) => {
  const mac = createHmac("sha256", secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
};

/** Compares a received digest with the expected one without leaking where they differ. */
function sameDigest(expected: Buffer, received: Buffer): boolean {
  return received.length === expected.length && timingSafeEqual(expected, received);
}

/** Shopify's and WooCommerce's scheme: the base64 HMAC of the raw body. */
export function checkBase64BodySignature(body: Buffer, signature: string | undefined, secrets: string[]): SignatureCheck {
  if (!signature) return { valid: false, reason: "missing_signature" };
  const received = Buffer.from(signature.trim(), "base64");
  return secrets.some((secret) => sameDigest(hmac(secret, body), received)) ? { valid: true } : { valid: false, reason: "invalid_signature" };
}

/** Reads "t=...,v1=...,v1=..." (unknown schemes ignored, as Stripe's verifiers do). */
function parseTimestampedHeader(header: string): { timestamp: number | undefined; signatures: Buffer[] } {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const [name, value] = part.trim().split("=", 2) as [string, string | undefined];
    if (value === undefined) continue;
    if (name === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === "v1" && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, "hex"));
  }
  return { timestamp, signatures };
}

/** The generic endpoint's scheme: any v1 signature from any accepted secret, with a timestamp within the tolerance. */
export function checkTimestampedSignature(body: Buffer, header: string | undefined, secrets: string[], nowSeconds: number): SignatureCheck {
  if (!header) return { valid: false, reason: "missing_signature" };
  const { timestamp, signatures } = parseTimestampedHeader(header);
  if (timestamp === undefined || signatures.length === 0) return { valid: false, reason: "invalid_signature" };
  const matches = secrets.some((secret) => {
    const expected = hmac(secret, `${timestamp}.`, body);
    return signatures.some((signature) => sameDigest(expected, signature));
  });
  if (!matches) return { valid: false, reason: "invalid_signature" };
  // Checked after the signature, so that the timestamp itself is known to be the sender's.
  if (Math.abs(nowSeconds - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) return { valid: false, reason: "stale_timestamp" };
  return { valid: true };
}

/** Signs a body for the generic endpoint (the CLI sender and tests use it). */
export function timestampedSignature(body: string | Buffer, secret: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, `${timestampSeconds}.`, body).toString("hex")}`;
}

/** Signs a body the way Shopify and WooCommerce do. */
export function base64BodySignature(body: string | Buffer, secret: string): string {
  return hmac(secret, body).toString("base64");
}
