import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Unsubscribe tokens: base64url(JSON payload) "." base64url(HMAC-SHA256).
 * The MAC covers "unsubscribe:v1." + the payload part. Tokens never expire,
 * so unsubscribe links keep working.
 */
export interface UnsubscribeSubject {
  storefront_id: number;
  email: string;
}

const DOMAIN = "unsubscribe:v1.";
const MAX_TOKEN_LENGTH = 1024;
const MIN_KEY_BYTES = 32;
const MAC_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Payload as signed: short keys keep links short. */
interface Payload {
  s: number;
  e: string;
}

function checkKey(key: Buffer): void {
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`unsubscribe key must be at least ${MIN_KEY_BYTES} bytes`);
}

function mac(key: Buffer, payloadPart: string): Buffer {
  return createHmac("sha256", key).update(DOMAIN + payloadPart, "utf8").digest();
}

function isStorefrontId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

function isEmail(value: unknown): value is string {
  return typeof value === "string" && value.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(value);
}

/** Throws RangeError for a short key or an invalid subject. */
export function signUnsubscribeToken(key: Buffer, subject: UnsubscribeSubject): string {
  checkKey(key);
  const email = subject.email.trim().toLowerCase();
  if (!isStorefrontId(subject.storefront_id)) throw new RangeError("storefront_id must be a positive integer");
  if (!isEmail(email)) throw new RangeError("email is not an email address");
  const payload: Payload = { s: subject.storefront_id, e: email };
  const payloadPart = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${payloadPart}.${mac(key, payloadPart).toString("base64url")}`;
}

/** The subject of a genuine token; undefined for anything else. Throws RangeError for a short key. */
export function verifyUnsubscribeToken(key: Buffer, token: string): UnsubscribeSubject | undefined {
  checkKey(key);
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split(".");
  const [payloadPart, macPart] = parts;
  if (parts.length !== 2 || payloadPart === undefined || macPart === undefined) return undefined;
  if (!BASE64URL.test(payloadPart) || !BASE64URL.test(macPart)) return undefined;
  const given = Buffer.from(macPart, "base64url");
  // Only the canonical encoding of a full-length MAC is accepted.
  if (given.length !== MAC_BYTES || given.toString("base64url") !== macPart) return undefined;
  if (!timingSafeEqual(given, mac(key, payloadPart))) return undefined;

  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof payload !== "object" || payload === null) return undefined;
  const { s, e } = payload as Record<string, unknown>;
  if (!isStorefrontId(s) || !isEmail(e)) return undefined;
  return { storefront_id: s, email: e };
}
