/** Payment transactions: refund limits, captures of authorizations, voids, the order's payment_status, and card numbers refused. */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { startTestStack, type TestStack } from "../support/test-stack";
import { lineItemInput, orderInput } from "../support/order-factories";

let hub: TestStack;
let storefrontId: number;

beforeAll(async () => {
  hub = await startTestStack();
  storefrontId = (await hub.createStorefront()).storefront_id;
});
afterAll(async () => {
  await hub?.stop();
});

/** An order of 100.00 in total, not yet paid. */
async function newOrder(): Promise<number> {
  const body = orderInput(storefrontId, { payment_status: "pending", shipping_amount: 0, tax_amount: 0, line_items: [lineItemInput({ unit_price: 100, total_amount: 100 })] });
  return (await hub.call("POST", "/api/ecommerce/orders", { json: body })).body.order.ecommerce_order_id;
}

const pay = (orderId: number, json: Record<string, unknown>) => hub.call("POST", `/api/ecommerce/orders/${orderId}/payments`, { json });

describe("refunds", () => {
  it("never exceed what the parent captured, and move payment_status through paid, partially_refunded, refunded", async () => {
    const orderId = await newOrder();
    const charge = await pay(orderId, { payment_type: "charge", amount: "100.00", card_brand: "visa", card_last4: "4242", payment_gateway: "stripe" });
    expect(charge.status, charge.text).toBe(201);
    expect(charge.body).toMatchObject({ order_payment_status: "paid", payment: { amount: "100.00", payment_status: "succeeded", card_last4: "4242" } });
    const chargeId = charge.body.payment.payment_id;

    const part = await pay(orderId, { payment_type: "refund", amount: 30.5, parent_payment_id: chargeId, refund_reason: "damaged" });
    expect(part.body).toMatchObject({ order_payment_status: "partially_refunded", payment: { parent_payment_id: chargeId, amount: "30.50" } });
    const tooMuch = await pay(orderId, { payment_type: "refund", amount: "69.51", parent_payment_id: chargeId });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: "refund_exceeds_captured", details: { parent_payment_id: chargeId, available: "69.50" } });
    const rest = await pay(orderId, { payment_type: "refund", amount: "69.50", parent_payment_id: chargeId });
    expect(rest.body.order_payment_status).toBe("refunded");
    expect((await pay(orderId, { payment_type: "refund", amount: "0.01", parent_payment_id: chargeId })).status).toBe(409);

    const order = (await hub.call("GET", `/api/ecommerce/orders/${orderId}`)).body.order;
    expect(order.payment_status).toBe("refunded");
    expect(order.payments.map((payment: { payment_type: string; amount: string }) => [payment.payment_type, payment.amount])).toEqual([
      ["charge", "100.00"],
      ["refund", "30.50"],
      ["refund", "69.50"],
    ]);
    expect(order.payments[0].refunded_amount).toBe("100.00");
  });

  it("stay within the parent when many are sent at once", async () => {
    const orderId = await newOrder();
    const chargeId = (await pay(orderId, { payment_type: "charge", amount: 100 })).body.payment.payment_id;
    const responses = await Promise.all(Array.from({ length: 6 }, () => pay(orderId, { payment_type: "refund", amount: 30, parent_payment_id: chargeId })));
    const accepted = responses.filter((response) => response.status === 201).length;
    // Each refused one was refused for the limit, or for losing the race too often (then it may be retried).
    expect(accepted).toBeLessThanOrEqual(3);
    for (const response of responses.filter((each) => each.status !== 201)) expect(["refund_exceeds_captured", "concurrent_update"]).toContain(response.body.error.code);
    const payments = (await hub.call("GET", `/api/ecommerce/orders/${orderId}/payments`)).body.payments;
    expect(payments.filter((payment: { payment_type: string }) => payment.payment_type === "refund")).toHaveLength(accepted);
    const left = 100 - 30 * accepted;
    expect((await pay(orderId, { payment_type: "refund", amount: left, parent_payment_id: chargeId })).status).toBe(201);
    expect((await pay(orderId, { payment_type: "refund", amount: "0.01", parent_payment_id: chargeId })).body.error.code).toBe("refund_exceeds_captured");
  });

  it("need a charge or capture of the same order as parent", async () => {
    const orderId = await newOrder();
    const missing = await pay(orderId, { payment_type: "refund", amount: 1 });
    expect(missing.body.error.details).toEqual([{ field: "body.parent_payment_id", message: "is required for captures, refunds and voids" }]);
    const otherOrder = await newOrder();
    const foreign = (await pay(otherOrder, { payment_type: "charge", amount: 100 })).body.payment.payment_id;
    expect((await pay(orderId, { payment_type: "refund", amount: 1, parent_payment_id: foreign })).body.error.details[0].field).toBe("body.parent_payment_id");
  });
});

describe("authorizations", () => {
  it("are captured up to their amount, partially paying the order, and voided only while uncaptured", async () => {
    const orderId = await newOrder();
    const auth = await pay(orderId, { payment_type: "authorization", amount: 100 });
    expect(auth.body.order_payment_status).toBe("authorized");
    const authId = auth.body.payment.payment_id;
    const capture = await pay(orderId, { payment_type: "capture", amount: 40, parent_payment_id: authId });
    expect(capture.body).toMatchObject({ order_payment_status: "partially_paid", payment: { payment_status: "captured" } });
    expect((await pay(orderId, { payment_type: "capture", amount: "60.01", parent_payment_id: authId })).body.error.code).toBe("capture_exceeds_authorized");
    expect((await pay(orderId, { payment_type: "void", amount: 60, parent_payment_id: authId })).body.error.code).toBe("authorization_captured");

    const other = await newOrder();
    const otherAuth = (await pay(other, { payment_type: "authorization", amount: 100 })).body.payment.payment_id;
    const voided = await pay(other, { payment_type: "void", amount: 100, parent_payment_id: otherAuth });
    expect(voided.body.order_payment_status).toBe("voided");
  });

  it("refuse an amount in another currency or with too many decimals", async () => {
    const orderId = await newOrder();
    expect((await pay(orderId, { payment_type: "charge", amount: 1, currency: "EUR" })).body.error.details[0].field).toBe("body.currency");
    expect((await pay(orderId, { payment_type: "charge", amount: "1.001" })).body.error.details[0].field).toBe("body.amount");
  });
});

describe("card numbers", () => {
  it("refuses a request carrying a full card number anywhere, naming the field, and stores nothing", async () => {
    const orderId = await newOrder();
    const pan = "4111 1111 1111 1111";
    for (const body of [
      { payment_type: "charge", amount: 10, card_number: pan },
      { payment_type: "charge", amount: 10, gateway_response: { source: { number: "4111111111111111" } } },
      { payment_type: "charge", amount: 10, card_last4: "4111111111111111" },
    ]) {
      const response = await pay(orderId, body);
      expect(response.status).toBe(400);
      expect(response.text).not.toContain("4111111111111111");
    }
    const named = await pay(orderId, { payment_type: "charge", amount: 10, gateway_response: { source: { number: "4111-1111-1111-1111" } } });
    expect(named.body.error.details).toEqual([{ field: "body.gateway_response.source.number", message: "must not contain a card number: only card_brand and card_last4 may be sent" }]);
    const { Items } = await new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }).send(new ScanCommand({ TableName: hub.table.tableName }));
    expect(JSON.stringify(Items)).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
    expect((await hub.call("GET", `/api/ecommerce/orders/${orderId}/payments`)).body.payments).toEqual([]);
  });

  it("accepts long digit strings that are not card numbers (failing the Luhn check)", async () => {
    const orderId = await newOrder();
    const response = await pay(orderId, { payment_type: "charge", amount: 10, external_transaction_id: "4111111111111112", card_last4: "1111" });
    expect(response.status, response.text).toBe(201);
  });
});
