/**
 * Payment transactions of an order, and the pure rules about them: what the
 * order's payment_status is given its transactions, and the API's view.
 */
import type { PaymentStatus } from "../schemas/order";
import type { PaymentType, TransactionStatus, paymentView as paymentViewSchema } from "../schemas/payment";
import { formatMinorUnits } from "./money";
import { inOrder, type AllFieldsListed } from "./record-fields";

export interface PaymentRecord {
  payment_id: number;
  ecommerce_order_id: number;
  external_payment_id: string | null;
  external_transaction_id: string | null;
  payment_method: string | null;
  payment_gateway: string | null;
  payment_type: PaymentType;
  amount_minor: number;
  currency: string;
  card_brand: string | null;
  card_last4: string | null;
  card_expiry_month: number | null;
  card_expiry_year: number | null;
  payment_status: TransactionStatus;
  payment_date: string;
  authorized_at: string | null;
  captured_at: string | null;
  failed_at: string | null;
  refunded_at: string | null;
  error_code: string | null;
  error_message: string | null;
  parent_payment_id: number | null;
  refund_reason: string | null;
  gateway_response: Record<string, unknown>;
  /** Refunded from this payment so far (charges and captures), kept in the same transaction as each refund. */
  refunded_minor: number;
  /** Captured from this authorization so far. */
  captured_minor: number;
  created_at: string;
}

/** The status a transaction of each type is recorded with when the request names none. */
export const DEFAULT_STATUS: Record<PaymentType, TransactionStatus> = {
  charge: "succeeded",
  authorization: "authorized",
  capture: "captured",
  refund: "refunded",
  void: "cancelled",
};

const FAILED: ReadonlySet<TransactionStatus> = new Set(["failed", "pending"]);
const settled = (payment: PaymentRecord) => !FAILED.has(payment.payment_status);

/** Money taken: successful charges and captures. */
export const capturedMinor = (payments: PaymentRecord[]) =>
  payments.filter((payment) => settled(payment) && (payment.payment_type === "charge" || payment.payment_type === "capture")).reduce((sum, payment) => sum + payment.amount_minor, 0);

/** The order's payment_status, from its transactions and its total. */
export function orderPaymentStatus(payments: PaymentRecord[], orderTotalMinor: number): PaymentStatus | undefined {
  if (payments.length === 0) return undefined;
  const paid = capturedMinor(payments);
  const refunded = payments.filter((payment) => settled(payment) && payment.payment_type === "refund").reduce((sum, payment) => sum + payment.amount_minor, 0);
  const openAuthorizations = payments.filter(
    (payment) => settled(payment) && payment.payment_type === "authorization" && payment.payment_status !== "cancelled" && payment.captured_minor < payment.amount_minor,
  );
  if (paid > 0 && refunded >= paid) return "refunded";
  if (refunded > 0) return "partially_refunded";
  if (paid > 0) return paid >= orderTotalMinor ? "paid" : "partially_paid";
  if (openAuthorizations.length > 0) return "authorized";
  if (payments.some((payment) => payment.payment_type === "void" && settled(payment))) return "voided";
  return "pending";
}

/**
 * The fields of the API's view, in the order of the paymentView schema. Listed
 * here rather than read from the schema so that the functions showing
 * payments (every order route) do not bundle the payment schemas; the type
 * below fails to compile when the two disagree on the fields, and a unit test
 * checks the order.
 */
export const PAYMENT_VIEW_FIELDS = [
  "payment_id",
  "ecommerce_order_id",
  "external_payment_id",
  "external_transaction_id",
  "payment_method",
  "payment_gateway",
  "payment_type",
  "amount",
  "currency",
  "card_brand",
  "card_last4",
  "card_expiry_month",
  "card_expiry_year",
  "payment_status",
  "payment_date",
  "authorized_at",
  "captured_at",
  "failed_at",
  "refunded_at",
  "error_code",
  "error_message",
  "parent_payment_id",
  "refund_reason",
  "gateway_response",
  "refunded_amount",
  "captured_amount",
  "created_at",
] as const satisfies readonly PaymentViewField[];

type PaymentViewField = keyof (typeof paymentViewSchema)["entries"];
const everyFieldListed: AllFieldsListed<typeof paymentViewSchema, typeof PAYMENT_VIEW_FIELDS> = true;

export function paymentView(payment: PaymentRecord) {
  const { amount_minor, refunded_minor, captured_minor, ...fields } = payment;
  return inOrder(PAYMENT_VIEW_FIELDS, {
    ...fields,
    amount: formatMinorUnits(amount_minor, payment.currency),
    refunded_amount: formatMinorUnits(refunded_minor, payment.currency),
    captured_amount: formatMinorUnits(captured_minor, payment.currency),
  });
}
