/**
 * Webhook intake: find the storefront, check the signature over the exact
 * bytes received, store the delivery (its id de-duplicates it) and queue it
 * for the worker. Refused deliveries are only counted; nothing else is written.
 */
import { createHash, randomUUID } from "node:crypto";
import { HttpError } from "../http/errors";
import { countDuplicate, countRejection, deleteDelivery, insertDelivery, type DeliveryRecord, type DeliverySource } from "../data/webhook-deliveries";
import { sendToQueue } from "../queues";
import { logger } from "../logger";
import { checkBase64BodySignature, checkTimestampedSignature, type SignatureCheck } from "./signatures";
import { webhookStorefront, type WebhookStorefront } from "./webhook-storefronts";
import { WEBHOOK_QUEUE } from "./queue";


export interface IncomingDelivery {
  source: DeliverySource;
  storefrontCode: string;
  body: Buffer;
  header: (name: string) => string | undefined;
}

export interface IntakeAnswer {
  statusCode: 200 | 202;
  body: { message: string; delivery_id: string | null; duplicate: boolean };
}

/** What each source calls its topic, its delivery id, and the other headers worth keeping. */
const HEADERS: Record<DeliverySource, { topic?: string; deliveryId: string; keep: string[] }> = {
  shopify: { topic: "x-shopify-topic", deliveryId: "x-shopify-webhook-id", keep: ["x-shopify-event-id", "x-shopify-triggered-at", "x-shopify-shop-domain", "x-shopify-api-version"] },
  woocommerce: { topic: "x-wc-webhook-topic", deliveryId: "x-wc-webhook-delivery-id", keep: ["x-wc-webhook-id", "x-wc-webhook-source", "x-wc-webhook-resource", "x-wc-webhook-event"] },
  generic: { deliveryId: "x-ocean-delivery-id", keep: [] },
};

const refusal = (statusCode: number, code: string, message: string, field?: string) =>
  new HttpError(statusCode, code, message, field ? [{ field, message }] : undefined);

const REFUSALS: Record<Exclude<SignatureCheck, { valid: true }>["reason"], [string, string]> = {
  missing_signature: ["missing_signature", "The delivery carries no signature header"],
  invalid_signature: ["invalid_signature", "The signature does not match the body with any of the storefront's webhook secrets"],
  stale_timestamp: ["stale_timestamp", "The signature's timestamp is more than 300 seconds from now; a replayed or delayed delivery is refused"],
};

function checkSignature(delivery: IncomingDelivery, secrets: string[]): SignatureCheck {
  if (secrets.length === 0) return { valid: false, reason: "invalid_signature" };
  switch (delivery.source) {
    case "shopify":
      return checkBase64BodySignature(delivery.body, delivery.header("x-shopify-hmac-sha256"), secrets);
    case "woocommerce":
      return checkBase64BodySignature(delivery.body, delivery.header("x-wc-webhook-signature"), secrets);
    case "generic":
      return checkTimestampedSignature(delivery.body, delivery.header("x-ocean-signature"), secrets, Math.floor(Date.now() / 1000));
  }
}

/** The storefront, its signature checked; a failed check against cached secrets is retried once with fresh ones. */
async function authenticate(delivery: IncomingDelivery): Promise<WebhookStorefront> {
  let { storefront, cached } = await webhookStorefront(delivery.storefrontCode);
  if (!storefront) {
    await countRejection(null, "unknown_storefront");
    throw refusal(404, "unknown_storefront", `No storefront has the code ${delivery.storefrontCode}`);
  }
  let check = checkSignature(delivery, storefront.secrets);
  if (!check.valid && check.reason !== "stale_timestamp" && cached) {
    storefront = (await webhookStorefront(delivery.storefrontCode, { fresh: true })).storefront;
    if (storefront) check = checkSignature(delivery, storefront.secrets);
  }
  if (!storefront) throw refusal(404, "unknown_storefront", `No storefront has the code ${delivery.storefrontCode}`);
  if (!check.valid) {
    await countRejection(storefront.storefront_id, check.reason);
    const [code, message] = REFUSALS[check.reason];
    throw refusal(401, code, message);
  }
  return storefront;
}

/** A delivery id of our own: the same platform delivery to the same storefront always gets the same one. */
const deliveryIdOf = (storefrontId: number, source: DeliverySource, platformId: string) =>
  createHash("sha256").update(`${storefrontId}\u0000${source}\u0000${platformId}`).digest("base64url").slice(0, 32);

export async function acceptDelivery(delivery: IncomingDelivery, topicOf?: (payload: unknown) => string): Promise<IntakeAnswer> {
  const storefront = await authenticate(delivery);
  const names = HEADERS[delivery.source];
  let payload: unknown;
  try {
    // Only checked here; the worker parses it again, keeping large ids exact.
    payload = JSON.parse(delivery.body.toString("utf8"));
  } catch {
    await countRejection(storefront.storefront_id, "malformed");
    throw refusal(400, "invalid_json", "The delivery body is not valid JSON", "body");
  }
  const topic = names.topic ? delivery.header(names.topic)?.trim() : topicOf?.(payload);
  if (!topic) {
    await countRejection(storefront.storefront_id, "malformed");
    throw refusal(400, "missing_topic", "The delivery does not say its topic", names.topic ? `headers.${names.topic}` : "body.webhook_event");
  }
  const platformId = delivery.header(names.deliveryId)?.trim() || null;
  const now = new Date().toISOString();
  const record: DeliveryRecord = {
    delivery_id: deliveryIdOf(storefront.storefront_id, delivery.source, platformId ?? randomUUID()),
    storefront_id: storefront.storefront_id,
    source: delivery.source,
    topic,
    platform_delivery_id: platformId,
    platform_headers: Object.fromEntries(names.keep.flatMap((name) => (delivery.header(name) ? [[name, delivery.header(name)!]] : []))),
    raw_body: delivery.body.toString("utf8"),
    status: "received",
    attempts: 0,
    last_error: null,
    outcome: null,
    duplicate_count: 0,
    received_at: now,
    processed_at: null,
  };
  if (!(await insertDelivery(record))) {
    await countDuplicate(record.delivery_id, now);
    return { statusCode: 200, body: { message: "Delivery already received", delivery_id: record.delivery_id, duplicate: true } };
  }
  try {
    await sendToQueue(WEBHOOK_QUEUE, { delivery_id: record.delivery_id });
  } catch (error) {
    // Not queued: forget it, so that the platform's retry is taken as new rather than as a duplicate of a delivery nobody will process.
    logger.error("cannot queue a webhook delivery; it is dropped so that the platform's retry is accepted", { deliveryId: record.delivery_id, error: error as Error });
    await deleteDelivery(record.delivery_id);
    throw error;
  }
  return { statusCode: 202, body: { message: "Webhook accepted", delivery_id: record.delivery_id, duplicate: false } };
}
