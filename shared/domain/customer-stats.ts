/**
 * A customer's statistics, computed from the summaries of their orders (one
 * per order, the latest version of each). Computing from the whole set rather
 * than adding deltas makes them exact whatever order events arrive in and
 * however often: the same summaries always give the same statistics.
 */
import type { OrderStatus, PaymentStatus } from "../schemas/order";
import { countsAsSale } from "./order-counters";

export interface SummarizedOrder {
  order_date: string;
  order_status: string;
  payment_status: string;
  is_test_order: boolean;
  currency: string;
  total_minor: number;
}

export interface CustomerStats {
  total_orders: number;
  total_spent_minor: number;
  first_order_date: string | null;
  last_order_date: string | null;
}

/** Sales only (see countsAsSale), in the customer's currency: amounts in different currencies are never added up. */
export function customerStats(orders: SummarizedOrder[], currency: string): CustomerStats {
  const sales = orders.filter(
    (order) =>
      order.currency === currency &&
      countsAsSale({ order_status: order.order_status as OrderStatus, payment_status: order.payment_status as PaymentStatus, is_test_order: order.is_test_order }),
  );
  const dates = sales.map((order) => order.order_date).sort();
  return {
    total_orders: sales.length,
    total_spent_minor: sales.reduce((sum, order) => sum + order.total_minor, 0),
    first_order_date: dates[0] ?? null,
    last_order_date: dates[dates.length - 1] ?? null,
  };
}
