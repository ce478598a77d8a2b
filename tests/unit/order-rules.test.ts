import { describe, expect, it } from "vitest";
import { orderDeltas, type CountedOrder } from "../../shared/domain/order-counters";
import { customerStats } from "../../shared/domain/customer-stats";
import { averageMinor, CUSTOMER_VIEW_FIELDS } from "../../shared/domain/customer-records";
import { ITEM_VIEW_FIELDS, ORDER_VIEW_FIELDS, orderTotals, pairItems, type ImportedItem, type OrderItemRecord } from "../../shared/domain/order-records";
import { looksLikeCardNumber } from "../../shared/domain/payment-cards";
import { orderPaymentStatus, PAYMENT_VIEW_FIELDS, type PaymentRecord } from "../../shared/domain/payment-records";
import { customerView as customerViewSchema } from "../../shared/schemas/customer";
import { orderItemView as orderItemViewSchema, orderView as orderViewSchema } from "../../shared/schemas/order-responses";
import { paymentView as paymentViewSchema } from "../../shared/schemas/payment";

const order = (overrides: Partial<CountedOrder> = {}): CountedOrder => ({
  storefront_id: 1,
  currency: "USD",
  total_minor: 1000,
  order_status: "pending",
  payment_status: "paid",
  fulfillment_status: "unfulfilled",
  import_status: "imported",
  is_test_order: false,
  product_quantities: { "7": 2 },
  ...overrides,
});

describe("order counter deltas", () => {
  it("count a new sale once, with its revenue and its products", () => {
    const deltas = orderDeltas(undefined, order());
    expect(deltas.storefronts.get(1)).toEqual({
      add: { order_count: 1, status_pending: 1, payment_paid: 1, fulfillment_unfulfilled: 1, import_imported: 1 },
      addInMap: { revenue_minor: { USD: 1000 }, sale_count: { USD: 1 } },
    });
    expect(deltas.products.get(7)).toEqual({ order_count: 1, total_quantity_sold: 2 });
  });

  it("move a cancelled order's revenue and product sales out, keeping it counted as an order", () => {
    const deltas = orderDeltas(order(), order({ order_status: "cancelled" }));
    expect(deltas.storefronts.get(1)).toEqual({ add: { status_pending: -1, status_cancelled: 1 }, addInMap: { revenue_minor: { USD: -1000 }, sale_count: { USD: -1 } } });
    expect(deltas.products.get(7)).toEqual({ order_count: -1, total_quantity_sold: -2 });
  });

  it("are empty when nothing counted changes", () => {
    const deltas = orderDeltas(order(), order());
    expect(deltas.storefronts.size).toBe(0);
    expect(deltas.products.size).toBe(0);
  });
});

describe("customer statistics", () => {
  const summary = (order_date: string, total_minor: number, overrides: Record<string, unknown> = {}) => ({
    order_date, total_minor, order_status: "pending", payment_status: "paid", is_test_order: false, currency: "USD", ...overrides,
  });

  it("count sales in the customer's currency only, whatever order the summaries come in", () => {
    const summaries = [
      summary("2024-12-03T00:00:00.000Z", 2500),
      summary("2024-12-01T00:00:00.000Z", 1000),
      summary("2024-11-01T00:00:00.000Z", 9999, { order_status: "refunded" }),
      summary("2024-10-01T00:00:00.000Z", 9999, { is_test_order: true }),
      summary("2024-09-01T00:00:00.000Z", 9999, { currency: "EUR" }),
    ];
    const expected = { total_orders: 2, total_spent_minor: 3500, first_order_date: "2024-12-01T00:00:00.000Z", last_order_date: "2024-12-03T00:00:00.000Z" };
    expect(customerStats(summaries, "USD")).toEqual(expected);
    expect(customerStats([...summaries].reverse(), "USD")).toEqual(expected);
  });

  it("average exactly, rounding half up", () => {
    expect(averageMinor(100, 3)).toBe(33);
    expect(averageMinor(5, 2)).toBe(3);
    expect(averageMinor(0, 0)).toBe(0);
  });
});

describe("order items", () => {
  const imported = (external_item_id: string | null): ImportedItem => ({ external_item_id, total_minor: 100 }) as ImportedItem;
  const stored = (order_item_id: number, external_item_id: string | null) => ({ order_item_id, external_item_id }) as OrderItemRecord;

  it("pair by external item id, else by position, and report the stored items left over", () => {
    const { pairs, removed } = pairItems([stored(1, "a"), stored(2, null), stored(3, "c"), stored(4, null)], [imported("c"), imported(null), imported("new")]);
    expect(pairs.map((pair) => pair.stored?.order_item_id)).toEqual([3, 2, undefined]);
    expect(removed.map((item) => item.order_item_id)).toEqual([1, 4]);
  });

  it("total the line totals, less the order discount, plus shipping and tax", () => {
    expect(orderTotals([{ total_minor: 59999 }, { total_minor: 2930 }], { discount_minor: 500, shipping_minor: 1500, tax_minor: 4800 })).toEqual({ subtotal_minor: 62929, total_minor: 68729 });
  });
});

describe("payments", () => {
  const payment = (payment_type: PaymentRecord["payment_type"], amount_minor: number, overrides: Partial<PaymentRecord> = {}) =>
    ({ payment_type, amount_minor, payment_status: "succeeded", captured_minor: 0, ...overrides }) as PaymentRecord;

  it("derive the order's payment status from its transactions", () => {
    expect(orderPaymentStatus([], 1000)).toBeUndefined();
    expect(orderPaymentStatus([payment("charge", 1000)], 1000)).toBe("paid");
    expect(orderPaymentStatus([payment("charge", 400)], 1000)).toBe("partially_paid");
    expect(orderPaymentStatus([payment("charge", 1000, { payment_status: "failed" })], 1000)).toBe("pending");
    expect(orderPaymentStatus([payment("charge", 1000), payment("refund", 1)], 1000)).toBe("partially_refunded");
    expect(orderPaymentStatus([payment("charge", 1000), payment("refund", 1000)], 1000)).toBe("refunded");
    expect(orderPaymentStatus([payment("authorization", 1000, { payment_status: "authorized" })], 1000)).toBe("authorized");
  });

  it("recognise card numbers by length and Luhn check, with spaces or dashes", () => {
    expect(looksLikeCardNumber("4111111111111111")).toBe(true);
    expect(looksLikeCardNumber("card 5500-0000-0000-0004 exp 12/30")).toBe(true);
    expect(looksLikeCardNumber("378282246310005")).toBe(true);
    expect(looksLikeCardNumber("4111111111111112")).toBe(false);
    expect(looksLikeCardNumber("4242")).toBe(false);
    expect(looksLikeCardNumber("order 123456789012")).toBe(false);
  });

  it("show the fields of the paymentView schema, in its order", () => {
    expect([...PAYMENT_VIEW_FIELDS]).toEqual(Object.keys(paymentViewSchema.entries));
  });

  it("show the fields of the orderView and orderItemView schemas, in their order", () => {
    expect([...ORDER_VIEW_FIELDS]).toEqual(Object.keys(orderViewSchema.entries));
    expect([...ITEM_VIEW_FIELDS]).toEqual(Object.keys(orderItemViewSchema.entries));
  });

  it("show the fields of the customerView schema, in its order", () => {
    expect([...CUSTOMER_VIEW_FIELDS]).toEqual(Object.keys(customerViewSchema.entries));
  });
});
