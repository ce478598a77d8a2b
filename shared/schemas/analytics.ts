import * as v from "valibot";
import { idParam } from "./common";
import { defineOperation } from "../api/operation";
import { PLATFORM_TYPES } from "./storefront";

/** The longest period one analytics request covers. */
export const MAX_PERIOD_DAYS = 366;

const calendarDate = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2024-12-01"),
  v.check((date) => !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date), "must be a real calendar date"),
);

const periodDays = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;

export const analyticsQuery = v.pipe(
  v.object({
    storefront_id: v.optional(idParam),
    from_date: v.optional(calendarDate),
    to_date: v.optional(calendarDate),
  }),
  v.forward(
    v.check((query) => !query.from_date || !query.to_date || query.from_date <= query.to_date, "must not be after to_date"),
    ["from_date"],
  ),
  v.forward(
    v.check((query) => !query.from_date || !query.to_date || periodDays(query.from_date, query.to_date) <= MAX_PERIOD_DAYS, `must be at most ${MAX_PERIOD_DAYS} days before to_date`),
    ["from_date"],
  ),
);
export type AnalyticsQuery = v.InferOutput<typeof analyticsQuery>;

export const reportQuery = v.object({ storefront_id: v.optional(idParam) });
export type ReportQuery = v.InferOutput<typeof reportQuery>;

const money = (description: string) => v.pipe(v.string(), v.description(description));
const percent = (description: string) => v.pipe(v.string(), v.description(`${description}, in percent with two decimals`));

const currencyRevenue = v.object({
  currency: v.string(),
  sales: v.pipe(v.number(), v.description("Orders that are sales (not cancelled, refunded or voided)")),
  total_revenue: v.string(),
  average_order_value: v.string(),
  previous_revenue: money("Revenue of the previous period of the same length"),
  revenue_growth: v.nullable(percent("Change against the previous period; null when it had no revenue")),
});

export const analyticsView = v.object({
  sales_metrics: v.object({
    total_orders: v.pipe(v.number(), v.description("Orders placed in the period (test orders left out)")),
    total_revenue: money("Total of the period's sales, in `currency`"),
    average_order_value: v.string(),
    unique_customers: v.pipe(v.number(), v.description("Customers with at least one sale in the period")),
    unique_customers_estimated: v.pipe(v.boolean(), v.description("True when some day had so many customers that the count is an estimate (about 3% standard error)")),
    fulfilled_orders: v.number(),
    cancelled_orders: v.number(),
    paid_orders: v.number(),
    pending_payments: v.number(),
    conversion_rate: percent("Orders that completed a cart over carts created in the period"),
    revenue_growth: v.nullable(percent("Revenue change against the previous period of the same length; null when it had no revenue")),
  }),
  currency: v.pipe(v.string(), v.description("The currency of the single money figures: the storefront's default currency")),
  revenue_by_currency: v.array(currencyRevenue),
  top_products: v.array(
    v.object({
      ecommerce_product_id: v.number(),
      storefront_id: v.number(),
      product_name: v.string(),
      erp_sku: v.nullable(v.string()),
      total_sold: v.number(),
      total_revenue: money("In `currency`"),
      order_count: v.number(),
    }),
  ),
  daily_trend: v.array(v.object({ date: v.string(), order_count: v.number(), revenue: money("In `currency`") })),
  abandoned_carts: v.object({
    total_abandoned: v.pipe(v.number(), v.description("Carts abandoned in the period")),
    potential_revenue: money("Value of those still abandoned, in `currency`"),
    average_cart_value: v.string(),
    recovery_emails_sent: v.pipe(v.number(), v.description("Of those, carts sent at least one recovery email")),
    recovered_carts: v.number(),
    recovered_revenue: v.string(),
    recovery_rate: percent("recovered_carts over total_abandoned"),
  }),
  inventory_status: v.object({
    total_products: v.number(),
    total_inventory: v.number(),
    out_of_stock_count: v.number(),
    low_stock_count: v.number(),
    published_count: v.number(),
  }),
  period: v.object({
    from_date: v.string(),
    to_date: v.string(),
    previous_from_date: v.string(),
    previous_to_date: v.string(),
    time_zone: v.pipe(v.string(), v.description("Days are the storefront's calendar days in this time zone")),
  }),
});

const storefrontColumns = {
  storefront_id: v.number(),
  storefront_code: v.string(),
  storefront_name: v.string(),
  platform_type: v.picklist(PLATFORM_TYPES),
};

export const salesSummaryRow = v.object({
  ...storefrontColumns,
  currency: v.string(),
  total_orders: v.number(),
  total_revenue: v.string(),
  average_order_value: v.string(),
  unique_customers: v.pipe(v.number(), v.description("Customers with at least one sale")),
  fulfilled_orders: v.number(),
  cancelled_orders: v.number(),
});

export const productSyncStatusRow = v.object({
  ...storefrontColumns,
  total_products: v.number(),
  synced_products: v.number(),
  error_products: v.number(),
  pending_products: v.number(),
  conflict_products: v.number(),
  last_sync_time: v.nullable(v.string()),
});

export const abandonedCartsSummaryRow = v.object({
  ...storefrontColumns,
  currency: v.string(),
  total_abandoned_carts: v.number(),
  potential_revenue: v.string(),
  average_cart_value: v.string(),
  recovery_emails_sent: v.number(),
  recovered_carts: v.number(),
  recovered_revenue: v.string(),
  recovery_rate: v.string(),
});

const tags = ["Analytics"];
const report = <const TRow extends v.GenericSchema>(path: string, summary: string, row: TRow) =>
  defineOperation({
    method: "GET", path, tags, role: "viewer", summary, query: reportQuery,
    responses: { 200: { description: "One row per storefront", schema: v.object({ data: v.array(row) }) } },
  });

export const analyticsOperations = {
  analytics: defineOperation({
    method: "GET", path: "/api/ecommerce/analytics", tags, role: "viewer",
    summary: "Sales, products, daily trend, abandoned carts and inventory over a period (default the last 30 days), read from daily aggregates",
    query: analyticsQuery,
    responses: { 200: { description: "The period's analytics", schema: analyticsView } },
  }),
  salesSummary: report("/api/ecommerce/reports/sales-summary", "Sales by storefront since it was connected, in its default currency", salesSummaryRow),
  productSyncStatus: report("/api/ecommerce/reports/product-sync-status", "Product synchronisation status by storefront", productSyncStatusRow),
  abandonedCartsSummary: report("/api/ecommerce/reports/abandoned-carts-summary", "Abandoned-cart recovery by storefront", abandonedCartsSummaryRow),
};
