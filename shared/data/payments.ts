import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { tableName, documentClient } from "./client";
import type { TableKey } from "./batch";
import { cancellationCodes } from "./transactions";
import { orderKey } from "./orders";
import type { PaymentRecord } from "../domain/payment-records";
import type { PaymentStatus } from "../schemas/order";

/**
 * Payment transactions live in their order's partition (see orders.ts), so
 * that the order's details read them in the same Query, and a payment, its
 * parent's running totals and the order's payment_status are written in one transaction.
 * Access patterns:
 * - an order's payments, in id order ..... Query pk = ORDER#<order id>, sk begins_with PAYMENT# (sk = PAYMENT#<id, 10 digits>)
 */
export const paymentKey = (orderId: number, paymentId: number): TableKey => ({ pk: `ORDER#${orderId}`, sk: `PAYMENT#${String(paymentId).padStart(10, "0")}` });

type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

/** What a payment takes from its parent: a refund from a charge or capture, a capture from an authorization. */
export interface ParentDraw {
  parent: PaymentRecord;
  attribute: "refunded_minor" | "captured_minor";
  amount: number;
}

export type PaymentWriteOutcome = "written" | "order_changed" | "exceeds_parent";

/**
 * Writes a payment with its effects in one transaction: the parent's running
 * total grows only while it stays within the parent's amount (so concurrent
 * refunds can never exceed what was captured), and the order's payment_status
 * is set if the order is still at the version read.
 */
export async function insertPayment(
  payment: PaymentRecord,
  draw: ParentDraw | undefined,
  order: { version: number; payment_status: PaymentStatus; now: string },
  voidedAuthorizationId?: number,
): Promise<PaymentWriteOutcome> {
  const actions: Actions = [
    {
      Update: {
        TableName: tableName(),
        Key: orderKey(payment.ecommerce_order_id),
        UpdateExpression: "SET payment_status = :status, updated_at = :now ADD #version :one",
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":status": order.payment_status, ":now": order.now, ":one": 1, ":expected": order.version },
      },
    },
    { Put: { TableName: tableName(), Item: { ...paymentKey(payment.ecommerce_order_id, payment.payment_id), entity: "payment", ...payment }, ConditionExpression: "attribute_not_exists(pk)" } },
  ];
  if (draw) {
    actions.push({
      Update: {
        TableName: tableName(),
        Key: paymentKey(draw.parent.ecommerce_order_id, draw.parent.payment_id),
        UpdateExpression: "ADD #drawn :amount",
        ConditionExpression: "#drawn <= :room",
        ExpressionAttributeNames: { "#drawn": draw.attribute },
        ExpressionAttributeValues: { ":amount": draw.amount, ":room": draw.parent.amount_minor - draw.amount },
      },
    });
  }
  if (voidedAuthorizationId !== undefined) {
    actions.push({
      Update: {
        TableName: tableName(),
        Key: paymentKey(payment.ecommerce_order_id, voidedAuthorizationId),
        UpdateExpression: "SET payment_status = :cancelled",
        ConditionExpression: "captured_minor = :none",
        ExpressionAttributeValues: { ":cancelled": "cancelled", ":none": 0 },
      },
    });
  }
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: actions }));
    return "written";
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === "ConditionalCheckFailed") return "order_changed";
    if (codes?.[2] === "ConditionalCheckFailed") return draw ? "exceeds_parent" : "order_changed";
    throw error;
  }
}
