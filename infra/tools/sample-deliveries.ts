/**
 * The sample deliveries of events/ and how each platform signs them: read by
 * the tests and by `npm run send-webhook`.
 */
import { readFileSync } from "node:fs";
import { base64BodySignature, timestampedSignature } from "../../shared/webhooks/signatures";

export type Platform = "shopify" | "woocommerce" | "generic";

export interface SampleDelivery {
  topic: string;
  headers: Record<string, string>;
  /** The body exactly as the file holds it (64-bit ids stay the digits they are). */
  body: string;
}

/** Reads a sample file; its body is kept as written, not re-serialised. */
export function readSampleDelivery(path: string): SampleDelivery {
  const text = readFileSync(path, "utf8");
  const { topic, headers } = JSON.parse(text) as { topic: string; headers: Record<string, string> };
  const marker = '\n  "body": ';
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`${path} has no body as its last field`);
  const raw = text.slice(start + marker.length).trimEnd().replace(/}$/, "").trimEnd();
  JSON.parse(raw);
  const body = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  return { topic, headers, body };
}

/** The delivery's headers with the platform's signature of `body` made with `secret`. */
export function signedHeaders(platform: Platform, body: string, secret: string, headers: Record<string, string>, at = Math.floor(Date.now() / 1000)): Record<string, string> {
  if (platform === "shopify") return { ...headers, "X-Shopify-Hmac-Sha256": base64BodySignature(body, secret) };
  if (platform === "woocommerce") return { ...headers, "X-WC-Webhook-Signature": base64BodySignature(body, secret) };
  return { "Content-Type": "application/json", ...headers, "X-Ocean-Signature": timestampedSignature(body, secret, at) };
}

/** Where a platform's deliveries go. */
export function webhookPath(platform: Platform, storefrontCode: string): string {
  return platform === "generic" ? "/api/ecommerce/webhooks/orders" : `/api/ecommerce/webhooks/${platform}/${storefrontCode}`;
}
