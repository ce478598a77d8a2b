import * as v from "valibot";
import { amount, currencyCode, externalId, idParam, jsonObject, optionalText, platformTimestamp, positiveId } from "./common";
import { defineOperation } from "../api/operation";
import { cardNumberPaths } from "../domain/payment-cards";

export const PAYMENT_TYPES = ["charge", "authorization", "capture", "refund", "void"] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];
export const TRANSACTION_STATUSES = ["pending", "authorized", "captured", "succeeded", "failed", "cancelled", "refunded"] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => v.picklist(values, `must be one of ${values.join(", ")}`);

const paymentFields = v.object({
  payment_type: oneOf(PAYMENT_TYPES),
  amount,
  currency: v.optional(currencyCode),
  external_payment_id: v.optional(externalId),
  external_transaction_id: v.optional(externalId),
  payment_method: optionalText(50),
  payment_gateway: optionalText(50),
  payment_status: v.optional(oneOf(TRANSACTION_STATUSES)),
  payment_date: v.optional(platformTimestamp),
  card_brand: optionalText(30),
  card_last4: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^\d{4}$/, "must be the last 4 digits of the card")))),
  card_expiry_month: v.optional(v.nullable(v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(1, "must be 1 to 12"), v.maxValue(12, "must be 1 to 12")))),
  card_expiry_year: v.optional(v.nullable(v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(2000, "must be a year"), v.maxValue(2100, "must be a year")))),
  parent_payment_id: v.optional(positiveId),
  refund_reason: optionalText(1000),
  error_code: optionalText(100),
  error_message: optionalText(1000),
  gateway_response: v.optional(jsonObject),
});

/**
 * A payment transaction. Before anything else, the whole body (unknown
 * fields and gateway_response included) is searched for a full card number:
 * a request carrying one is refused, naming each field, and nothing is kept.
 */
export const recordPaymentBody = v.pipe(
  v.unknown(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const path of cardNumberPaths(dataset.value)) {
      addIssue({
        message: "must not contain a card number: only card_brand and card_last4 may be sent",
        path: path.map((key) => ({ type: "object", origin: "value", input: {}, key, value: undefined })) as unknown as [v.IssuePathItem, ...v.IssuePathItem[]],
      });
    }
  }),
  paymentFields,
  v.forward(
    v.check((body) => body.payment_type === "charge" || body.payment_type === "authorization" || body.parent_payment_id !== undefined, "is required for captures, refunds and voids"),
    ["parent_payment_id"],
  ),
);
export type RecordPaymentInput = v.InferOutput<typeof paymentFields>;

const nullableText = v.nullable(v.string());
const money = v.pipe(v.string(), v.description("Decimal amount in the order's currency"));

export const paymentView = v.object({
  payment_id: v.number(),
  ecommerce_order_id: v.number(),
  external_payment_id: nullableText,
  external_transaction_id: nullableText,
  payment_method: nullableText,
  payment_gateway: nullableText,
  payment_type: oneOf(PAYMENT_TYPES),
  amount: money,
  currency: v.string(),
  card_brand: nullableText,
  card_last4: nullableText,
  card_expiry_month: v.nullable(v.number()),
  card_expiry_year: v.nullable(v.number()),
  payment_status: oneOf(TRANSACTION_STATUSES),
  payment_date: v.string(),
  authorized_at: nullableText,
  captured_at: nullableText,
  failed_at: nullableText,
  refunded_at: nullableText,
  error_code: nullableText,
  error_message: nullableText,
  parent_payment_id: v.nullable(v.number()),
  refund_reason: nullableText,
  gateway_response: v.looseObject({}),
  refunded_amount: money,
  captured_amount: money,
  created_at: v.string(),
});

/**
 * The order's id in the path. Declared here rather than imported from
 * ./order: importing that module would bring the whole order contract (every
 * order operation with its response schemas) into the payment functions.
 */
const orderParams = v.object({ id: idParam });

const tags = ["Payments"];
const path = "/api/ecommerce/orders/{id}/payments";

export const paymentOperations = {
  record: defineOperation({
    method: "POST", path, tags, role: "operator",
    summary:
      "Record a charge, authorization, capture, refund or void; a refund names its parent and never exceeds what it captured (409 refund_exceeds_captured); a body holding a full card number is refused",
    params: orderParams,
    body: recordPaymentBody,
    responses: { 201: { description: "Recorded", schema: v.object({ message: v.string(), payment: paymentView, order_payment_status: v.string() }) } },
  }),
  list: defineOperation({
    method: "GET", path, tags, role: "viewer",
    summary: "The payment transactions of an order",
    params: orderParams,
    responses: { 200: { description: "Payments", schema: v.object({ payments: v.array(paymentView) }) } },
  }),
};
