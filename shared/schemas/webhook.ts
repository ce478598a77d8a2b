import * as v from "valibot";
import { idParam, intParam, text } from "./common";
import { dateBound } from "./list-query";
import { storefrontCode } from "./storefront";
import { defineOperation } from "../api/operation";

export const GENERIC_EVENTS = ["order.created", "order.updated", "order.cancelled", "order.fulfilled", "product.created", "product.updated", "inventory.updated"] as const;
export const DELIVERY_LIST_STATUSES = ["received", "processed", "failed", "duplicate", "rejected"] as const;

export const platformWebhookParams = v.object({ storefront_code: storefrontCode });

/** The generic format: storefront_code, webhook_event, data (the REST body of the matching API call, without storefront_id). */
export const genericWebhookBody = v.object({
  storefront_code: storefrontCode,
  webhook_event: v.picklist(GENERIC_EVENTS, `must be one of ${GENERIC_EVENTS.join(", ")}`),
  data: v.record(v.string(), v.unknown(), "must be a JSON object"),
});

export const listDeliveriesQuery = v.object({
  storefront_id: v.optional(idParam),
  topic: v.optional(text(100, 1)),
  status: v.optional(v.picklist(DELIVERY_LIST_STATUSES, `must be one of ${DELIVERY_LIST_STATUSES.join(", ")}`)),
  from_date: v.optional(dateBound),
  to_date: v.optional(dateBound),
  limit: v.optional(intParam(1, 200), "50"),
  cursor: v.optional(v.string()),
});
export type ListDeliveriesQuery = v.InferOutput<typeof listDeliveriesQuery>;

export const deliveryParams = v.object({ id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,64}$/, "must be a delivery id")) });

const accepted = v.object({
  message: v.string(),
  delivery_id: v.nullable(v.string()),
  duplicate: v.boolean(),
});

const deliveryView = v.object({
  delivery_id: v.string(),
  storefront_id: v.number(),
  source: v.picklist(["shopify", "woocommerce", "generic"]),
  topic: v.string(),
  platform_delivery_id: v.nullable(v.string()),
  platform_headers: v.record(v.string(), v.string()),
  status: v.picklist(["received", "processed", "failed"]),
  attempts: v.number(),
  last_error: v.nullable(v.string()),
  outcome: v.nullable(v.string()),
  duplicate_count: v.number(),
  received_at: v.string(),
  processed_at: v.nullable(v.string()),
  raw_body: v.pipe(v.string(), v.description("The body exactly as received")),
});

const platformSummary = (platform: string, signature: string) =>
  `${platform}'s own delivery format, authenticated by ${signature} (no API key). 202 when accepted, 200 with "duplicate": true for a delivery already received`;

export const webhookOperations = {
  shopify: defineOperation({
    method: "POST",
    path: "/api/ecommerce/webhooks/shopify/{storefront_code}",
    summary: platformSummary("Shopify", "X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body with the storefront's webhook_secret)"),
    tags: ["Webhooks"],
    params: platformWebhookParams,
    responses: { 202: { description: "Accepted", schema: accepted }, 200: { description: "Duplicate", schema: accepted } },
  }),
  woocommerce: defineOperation({
    method: "POST",
    path: "/api/ecommerce/webhooks/woocommerce/{storefront_code}",
    summary: platformSummary("WooCommerce", "X-WC-Webhook-Signature (base64 HMAC-SHA256 of the raw body with the storefront's webhook_secret); the unsigned ping sent when a webhook is created gets 200"),
    tags: ["Webhooks"],
    params: platformWebhookParams,
    responses: { 202: { description: "Accepted", schema: accepted }, 200: { description: "Duplicate, or WooCommerce's ping", schema: accepted } },
  }),
  generic: defineOperation({
    method: "POST",
    path: "/api/ecommerce/webhooks/orders",
    summary:
      'The generic format for custom storefronts and connectors, authenticated by X-Ocean-Signature: "t=<unix seconds>,v1=<hex HMAC-SHA256 of \\"<t>.<raw body>\\" with the storefront\'s webhook_secret>" (several v1 during a rotation; t within 300 s). X-Ocean-Delivery-Id, when present, de-duplicates',
    tags: ["Webhooks"],
    body: genericWebhookBody,
    responses: { 202: { description: "Accepted", schema: accepted }, 200: { description: "Duplicate", schema: accepted } },
  }),
  listDeliveries: defineOperation({
    method: "GET",
    path: "/api/ecommerce/webhooks/deliveries",
    summary: "Webhook deliveries newest first (one storefront's, or every storefront's the key may read), with rejection and duplicate counters",
    tags: ["Webhooks"],
    role: "viewer",
    query: listDeliveriesQuery,
    responses: {
      200: {
        description: "Deliveries",
        schema: v.object({
          deliveries: v.array(deliveryView),
          next_cursor: v.nullable(v.string()),
          statistics: v.pipe(
            v.record(v.string(), v.number()),
            v.description("Refused deliveries by reason (rejected_invalid_signature, rejected_missing_signature, rejected_stale_timestamp, rejected_malformed) and duplicates received; refused deliveries are counted, never stored"),
          ),
        }),
      },
    },
  }),
  replay: defineOperation({
    method: "POST",
    path: "/api/ecommerce/webhooks/deliveries/{id}/replay",
    summary: "Process a stored delivery again (after a fix, or to re-apply it)",
    tags: ["Webhooks"],
    role: "operator",
    params: deliveryParams,
    responses: { 202: { description: "Queued", schema: v.object({ message: v.string(), delivery_id: v.string() }) } },
  }),
};
