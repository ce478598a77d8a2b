import { ConflictError, NotFoundError, ValidationError } from "../http/errors";
import { nextId } from "../data/sequence";
import { getOrderWithDetails } from "../data/orders";
import { insertPayment, type ParentDraw } from "../data/payments";
import type { RecordPaymentInput } from "../schemas/payment";
import { requireStorefrontAccess } from "./catalog-access";
import { currencyDecimals, formatMinorUnits, toMinorUnits } from "./money";
import { DEFAULT_STATUS, orderPaymentStatus, paymentView, type PaymentRecord } from "./payment-records";
import type { Principal } from "./roles";

const MAX_WRITE_ATTEMPTS = 5;

/** Which parent each kind of follow-up transaction draws from, and which of its running totals. */
const PARENT_RULES = {
  refund: { parentTypes: ["charge", "capture"], attribute: "refunded_minor" },
  capture: { parentTypes: ["authorization"], attribute: "captured_minor" },
  void: { parentTypes: ["authorization"], attribute: undefined },
} as const;

function parentDraw(input: RecordPaymentInput, payments: PaymentRecord[], amountMinor: number): ParentDraw | undefined {
  if (input.payment_type === "charge" || input.payment_type === "authorization") return undefined;
  const rule = PARENT_RULES[input.payment_type];
  const parent = payments.find((payment) => payment.payment_id === input.parent_payment_id);
  if (!parent || !(rule.parentTypes as readonly string[]).includes(parent.payment_type)) {
    throw new ValidationError([{ field: "body.parent_payment_id", message: `must be a ${rule.parentTypes.join(" or ")} of this order` }]);
  }
  if (input.payment_type === "void") {
    if (parent.captured_minor > 0) throw new ConflictError("authorization_captured", `Authorization ${parent.payment_id} has been captured and cannot be voided`);
    return undefined;
  }
  return { parent, attribute: rule.attribute!, amount: amountMinor };
}

const exceedsParent = (draw: ParentDraw) => {
  const left = draw.parent.amount_minor - draw.parent[draw.attribute];
  const what = draw.attribute === "refunded_minor" ? "refund" : "capture";
  return new ConflictError(
    `${what}_exceeds_${draw.attribute === "refunded_minor" ? "captured" : "authorized"}`,
    `Payment ${draw.parent.payment_id} has ${formatMinorUnits(left, draw.parent.currency)} ${draw.parent.currency} left to ${what}; ${formatMinorUnits(draw.amount, draw.parent.currency)} is more`,
    { parent_payment_id: draw.parent.payment_id, available: formatMinorUnits(left, draw.parent.currency) },
  );
};

/** Records a transaction of an order; the order's payment_status follows from all of its transactions. */
export async function recordPayment(orderId: number, input: RecordPaymentInput, principal: Principal) {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const found = await getOrderWithDetails(orderId, { consistentRead: true });
    if (!found) throw new NotFoundError("Order", orderId);
    requireStorefrontAccess(principal, found.order.storefront_id);
    const { order } = found;
    if (input.currency !== undefined && input.currency !== order.currency) {
      throw new ValidationError([{ field: "body.currency", message: `must be the order's currency (${order.currency})` }]);
    }
    const amountMinor = toMinorUnits(input.amount, order.currency);
    if (amountMinor === undefined || amountMinor <= 0n) {
      throw new ValidationError([{ field: "body.amount", message: `must be more than 0 with at most ${currencyDecimals(order.currency)} decimals in ${order.currency}` }]);
    }
    const draw = parentDraw(input, found.payments, Number(amountMinor));
    const status = input.payment_status ?? DEFAULT_STATUS[input.payment_type];
    // A transaction that failed or is still pending takes nothing from its parent.
    const effectiveDraw = status === "failed" || status === "pending" ? undefined : draw;
    if (effectiveDraw && effectiveDraw.parent[effectiveDraw.attribute] + effectiveDraw.amount > effectiveDraw.parent.amount_minor) throw exceedsParent(effectiveDraw);

    const now = new Date().toISOString();
    const date = input.payment_date ?? now;
    const payment: PaymentRecord = {
      payment_id: await nextId("payment"),
      ecommerce_order_id: orderId,
      external_payment_id: input.external_payment_id ?? null,
      external_transaction_id: input.external_transaction_id ?? null,
      payment_method: input.payment_method ?? order.payment_method,
      payment_gateway: input.payment_gateway ?? order.payment_gateway,
      payment_type: input.payment_type,
      amount_minor: Number(amountMinor),
      currency: order.currency,
      card_brand: input.card_brand ?? null,
      card_last4: input.card_last4 ?? null,
      card_expiry_month: input.card_expiry_month ?? null,
      card_expiry_year: input.card_expiry_year ?? null,
      payment_status: status,
      payment_date: date,
      authorized_at: status === "authorized" ? date : null,
      captured_at: status === "captured" || (input.payment_type === "charge" && status === "succeeded") ? date : null,
      failed_at: status === "failed" ? date : null,
      refunded_at: input.payment_type === "refund" && status !== "failed" && status !== "pending" ? date : null,
      error_code: input.error_code ?? null,
      error_message: input.error_message ?? null,
      parent_payment_id: input.parent_payment_id ?? null,
      refund_reason: input.refund_reason ?? null,
      gateway_response: input.gateway_response ?? {},
      refunded_minor: 0,
      captured_minor: 0,
      created_at: now,
    };
    const payments = found.payments.map((each) =>
      effectiveDraw && each.payment_id === effectiveDraw.parent.payment_id ? { ...each, [effectiveDraw.attribute]: each[effectiveDraw.attribute] + effectiveDraw.amount } : each,
    );
    const voided = input.payment_type === "void" && draw === undefined ? input.parent_payment_id : undefined;
    const withVoid = payments.map((each) => (each.payment_id === voided ? { ...each, payment_status: "cancelled" as const } : each));
    const orderStatus = orderPaymentStatus([...withVoid, payment], order.total_minor) ?? order.payment_status;
    const outcome = await insertPayment(payment, effectiveDraw, { version: order.version, payment_status: orderStatus, now }, voided);
    if (outcome === "exceeds_parent") throw exceedsParent(effectiveDraw!);
    if (outcome === "written") return { payment: paymentView(payment), order_payment_status: orderStatus };
  }
  throw new ConflictError("concurrent_update", `Order ${orderId} kept changing while this payment was recorded; retry`);
}

export async function listPayments(orderId: number, principal: Principal) {
  const found = await getOrderWithDetails(orderId);
  if (!found) throw new NotFoundError("Order", orderId);
  requireStorefrontAccess(principal, found.order.storefront_id);
  return { payments: found.payments.map(paymentView) };
}
