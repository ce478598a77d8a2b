/**
 * The generator's options and its report: the storefronts, the catalog, the
 * customers, every order and the carts it generated, and how long it took.
 */
import type { FulfillmentStatus, OrderStatus, PaymentStatus } from "../../../shared/schemas/order";

export interface GenerateOptions {
  orders: number;
  days: number;
  seed: number;
  /** The end of the generated period (default: now). */
  now?: Date;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
}

/** What one generated order is, for the caller to check the aggregates against. */
export interface GeneratedOrder {
  storefront_id: number;
  external_order_id: string;
  ecommerce_order_id: number;
  ecommerce_customer_id: number;
  customer_email: string;
  order_date: string;
  currency: string;
  total_minor: number;
  order_status: OrderStatus;
  payment_status: PaymentStatus;
  fulfillment_status: FulfillmentStatus;
  is_test_order: boolean;
  /** False when the order was there already (an earlier run with the same seed). */
  written: boolean;
}

export interface StorefrontReport {
  storefront_id: number;
  storefront_code: string;
  default_currency: string;
  time_zone: string;
  /** The storefront's order_count as the API showed it before the writes. */
  order_count_before: number;
  orders_generated: number;
  orders_written: number;
}

export interface GenerationReport {
  seed: number;
  days: number;
  from: string;
  to: string;
  storefronts: StorefrontReport[];
  catalog: { products: number; sellable: number };
  customers: { generated: number; written: number };
  orders: GeneratedOrder[];
  carts: { generated: number; written: number; byStatus: Record<string, number> };
  /** Items put with BatchWriteItem (orders, their items and lookups, carts, their lookups and emails). */
  itemsWritten: number;
  writeMs: number;
  ordersPerSecond: number;
  totalMs: number;
}
