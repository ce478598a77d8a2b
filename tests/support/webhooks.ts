/**
 * Sample deliveries from events/ and the platforms' signatures, for tests
 * that send webhooks over HTTP to the local stack.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { base64BodySignature, timestampedSignature } from "../../shared/webhooks/signatures";

export interface SampleDelivery {
  topic: string;
  headers: Record<string, string>;
  /** The body exactly as the file holds it (64-bit ids stay the digits they are). */
  body: string;
}

/** Reads events/<folder>/<name>.json; its body is kept as written, not re-serialised. */
export function sampleDelivery(folder: "shopify" | "woocommerce" | "generic", name: string): SampleDelivery {
  const text = readFileSync(join("events", folder, `${name}.json`), "utf8");
  const { topic, headers } = JSON.parse(text) as { topic: string; headers: Record<string, string> };
  const marker = '\n  "body": ';
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`${folder}/${name}.json has no body as its last field`);
  const raw = text.slice(start + marker.length).trimEnd().replace(/}$/, "").trimEnd();
  JSON.parse(raw);
  const body = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  return { topic, headers, body };
}

export const shopifyHeaders = (body: string, secret: string, headers: Record<string, string>) => ({ ...headers, "X-Shopify-Hmac-Sha256": base64BodySignature(body, secret) });
export const wooHeaders = (body: string, secret: string, headers: Record<string, string>) => ({ ...headers, "X-WC-Webhook-Signature": base64BodySignature(body, secret) });
export const genericHeaders = (body: string, secret: string, headers: Record<string, string> = {}, at = Math.floor(Date.now() / 1000)) => ({
  "Content-Type": "application/json",
  ...headers,
  "X-Ocean-Signature": timestampedSignature(body, secret, at),
});
