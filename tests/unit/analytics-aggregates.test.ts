import { describe, expect, it } from "vitest";
import { distinctCustomers, EXACT_LIMIT, sameSketch, sketchOf, withCustomers } from "../../shared/analytics/customer-sketch";
import { addDays, datesInRange, localDate } from "../../shared/domain/local-dates";
import { cartDailyContribution, dailyDeltas, orderDailyContribution, type DailyOrder } from "../../shared/analytics/daily-counters";

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

describe("customer sketches", () => {
  it("are exact while every day keeps its ids, and a customer added twice changes nothing", () => {
    const monday = sketchOf([1, 2, 3]);
    expect(withCustomers(monday, [2, 3])).toBe(monday);
    expect(distinctCustomers([monday, sketchOf([3, 4]), sketchOf([])])).toEqual({ count: 4, exact: true });
  });

  it("drop the ids past the limit and estimate the union from the registers within a few percent", () => {
    const busy = sketchOf(range(1, EXACT_LIMIT + 1));
    expect(busy.ids).toBeNull();
    const days = Array.from({ length: 30 }, (_, day) => sketchOf(range(day * 500, 1_000)));
    const union = distinctCustomers(days);
    // 30 overlapping ranges cover 0 .. 15,499.
    expect(union.exact).toBe(false);
    expect(Math.abs(union.count - 15_500) / 15_500).toBeLessThan(0.1);
  });

  it("do not depend on the order customers came in", () => {
    expect(sameSketch(sketchOf(range(1, 500)), sketchOf(range(1, 500).reverse()))).toBe(true);
    expect(sameSketch(sketchOf([1, 2]), sketchOf([1, 3]))).toBe(false);
  });
});

describe("calendar days", () => {
  it("follow the time zone, across a daylight-saving change", () => {
    expect(localDate("2025-03-09T04:59:00Z", "America/New_York")).toBe("2025-03-08");
    expect(localDate("2025-03-10T03:59:00Z", "America/New_York")).toBe("2025-03-09");
    expect(localDate("2025-03-10T04:00:00Z", "America/New_York")).toBe("2025-03-10");
    expect(localDate("2025-06-30T15:30:00Z", "Asia/Tokyo")).toBe("2025-07-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(datesInRange("2024-12-30", "2025-01-02")).toEqual(["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02"]);
  });
});

describe("daily counters", () => {
  const order: DailyOrder = {
    storefront_id: 7,
    order_date: "2025-03-02T04:30:00.000Z",
    time_zone: "America/New_York",
    currency: "USD",
    total_minor: 5050,
    order_status: "confirmed",
    payment_status: "paid",
    fulfillment_status: "unfulfilled",
    is_test_order: false,
    ecommerce_customer_id: 3,
    product_quantities: { "11": 2 },
    product_revenue_minor: { "11": 5050 },
  };

  it("count an order on its local day, and a cancellation moves only what changed", () => {
    expect(orderDailyContribution(order)).toEqual(
      new Map([["7|2025-03-01", { orders: 1, paid: 1, "sales#USD": 1, "revenue#USD": 5050, "p#11#q": 2, "p#11#o": 1, "p#11#r#USD": 5050 }]]),
    );
    const cancelled = { ...order, order_status: "cancelled" as const, payment_status: "voided" as const };
    expect(dailyDeltas(orderDailyContribution(order), orderDailyContribution(cancelled))).toEqual(
      new Map([["7|2025-03-01", { paid: -1, cancelled: 1, "sales#USD": -1, "revenue#USD": -5050, "p#11#q": -2, "p#11#o": -1, "p#11#r#USD": -5050 }]]),
    );
    expect(orderDailyContribution({ ...order, is_test_order: true }).size).toBe(0);
  });

  it("count a recovered cart on the day it was abandoned and its conversion on the day it converted", () => {
    const contribution = cartDailyContribution({
      storefront_id: 7,
      time_zone: "UTC",
      currency: "EUR",
      total_minor: 9900,
      cart_status: "recovered",
      was_abandoned: true,
      abandoned_at: "2025-03-03T10:00:00Z",
      converted_at: "2025-03-05T10:00:00Z",
      created_at: "2025-03-02T10:00:00Z",
      recovery_email_count: 2,
      recovered_revenue_minor: 9900,
      recovered_currency: "EUR",
    });
    expect(contribution).toEqual(
      new Map([
        ["7|2025-03-02", { carts_created: 1 }],
        ["7|2025-03-05", { carts_converted: 1 }],
        ["7|2025-03-03", { abandoned: 1, "abandoned#EUR": 1, "abandoned_value#EUR": 9900, emailed: 1, emails: 2, recovered: 1, "recovered_revenue#EUR": 9900 }],
      ]),
    );
  });
});
