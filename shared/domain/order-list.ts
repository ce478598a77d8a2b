/**
 * The order list: newest first across the storefronts in scope (the one
 * named, else every storefront the key may read), with the statistics read
 * from the STATS#ORDERS counters the order-counters processor keeps. Its cost
 * depends on the page, not on the number of orders: one Query per storefront
 * in scope (more when status filters leave most orders out, bounded; see
 * newest-first-merge.ts), one BatchGetItem for the counters.
 */
import { batchGetItems, keyString } from "../data/batch";
import { collectionSortOf, continuationKeyOf, hasOrderFilter, queryStorefrontOrders, type OrderFilter } from "../data/orders";
import { dateRangeOf, type DateRange } from "../data/collections";
import { STATS_KEYS, type StorefrontItem } from "../data/storefronts";
import type { ListOrdersQuery } from "../schemas/order";
import { averageMinor } from "./customer-records";
import { formatMinorUnits } from "./money";
import { statusCounter } from "./order-counters";
import { customerNameOf, type OrderRecord } from "./order-records";
import type { Principal } from "./roles";
import { storefrontsInScope } from "./storefront-scope";
import { newestFirstPage, type MergeSource } from "./newest-first-merge";


type Counters = Record<string, unknown>;

const count = (counters: Counters, attribute: string) => Number(counters[attribute] ?? 0);
const inMap = (counters: Counters, map: string) => (counters[map] as Record<string, number> | undefined) ?? {};

/** The counters of several storefronts added up: plain counts and per-currency maps alike. */
function sumCounters(all: Counters[]): Counters {
  const total: Record<string, number | Record<string, number>> = {};
  for (const counters of all) {
    for (const [name, value] of Object.entries(counters)) {
      if (typeof value === "number") total[name] = ((total[name] as number | undefined) ?? 0) + value;
      else if (value && typeof value === "object") {
        const map = ((total[name] as Record<string, number> | undefined) ??= {});
        for (const [currency, amount] of Object.entries(value as Record<string, number>)) map[currency] = (map[currency] ?? 0) + Number(amount);
      }
    }
  }
  return total;
}

/** The currency total_revenue is given in: the scope's default currency, else (storefronts differ) the one with most sales. */
function headlineCurrency(scope: StorefrontItem[], counters: Counters): string {
  const defaults = new Set(scope.map((storefront) => storefront.default_currency));
  if (defaults.size === 1) return [...defaults][0]!;
  const sales = Object.entries(inMap(counters, "sale_count")).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return sales[0]?.[0] ?? scope[0]?.default_currency ?? "USD";
}

export function orderStatistics(counters: Counters, currency: string) {
  const revenue = inMap(counters, "revenue_minor");
  const sales = inMap(counters, "sale_count");
  return {
    total_orders: count(counters, "order_count"),
    currency,
    total_revenue: formatMinorUnits(revenue[currency] ?? 0, currency),
    revenue_by_currency: Object.fromEntries(Object.entries(revenue).map(([code, minor]) => [code, formatMinorUnits(minor, code)])),
    average_order_value: formatMinorUnits(averageMinor(revenue[currency] ?? 0, sales[currency] ?? 0), currency),
    pending_orders: count(counters, statusCounter.order("pending")),
    fulfilled_orders: count(counters, statusCounter.fulfillment("fulfilled")),
    paid_orders: count(counters, statusCounter.payment("paid")),
    pending_import: count(counters, statusCounter.import("pending")),
    oversold_orders: count(counters, "oversold_count"),
  };
}

/** The total of one status filter alone is a counter; several filters or a date range have none. */
function matchingTotal(filter: OrderFilter, range: DateRange, counters: Counters): number | null {
  if (range.from !== undefined || range.to !== undefined) return null;
  const set = Object.entries(filter).filter(([, value]) => value !== undefined) as [keyof OrderFilter, string][];
  if (set.length === 0) return count(counters, "order_count");
  if (set.length > 1) return null;
  const [kind, status] = set[0]!;
  const attribute = {
    order_status: statusCounter.order,
    payment_status: statusCounter.payment,
    fulfillment_status: statusCounter.fulfillment,
    import_status: statusCounter.import,
  }[kind] as (value: string) => string;
  return count(counters, attribute(status));
}

export async function listOrders(query: ListOrdersQuery, principal: Principal) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const filter: OrderFilter = {
    order_status: query.order_status,
    payment_status: query.payment_status,
    fulfillment_status: query.fulfillment_status,
    import_status: query.import_status,
  };
  const range = dateRangeOf(query);
  const page = query.cursor === undefined ? (query.page ?? 1) : null;
  const statsKeys = scope.map((storefront) => STATS_KEYS.orders(storefront.storefront_id));
  const source: MergeSource<OrderRecord> = {
    read: async (storefrontId, examine, startKey) => {
      const read = await queryStorefrontOrders(storefrontId, { range, filter, examine, startKey });
      return { records: read.orders, lastKey: read.lastKey };
    },
    sortKeyOf: collectionSortOf,
    continuationKeyOf,
    filtered: hasOrderFilter(filter),
  };
  const storefrontIds = scope.map((storefront) => storefront.storefront_id);
  const [collected, stats] = await Promise.all([
    newestFirstPage(source, storefrontIds, query.cursor, ((page ?? 1) - 1) * query.limit, query.limit),
    batchGetItems(statsKeys),
  ]);
  const counters = sumCounters(statsKeys.map((key) => stats.get(keyString(key)) ?? {}));
  const names = new Map(scope.map((storefront) => [storefront.storefront_id, storefront.storefront_name]));
  const total = matchingTotal(filter, range, counters);
  return {
    orders: collected.records.map((order) => ({
      ecommerce_order_id: order.ecommerce_order_id,
      external_order_id: order.external_order_id,
      external_order_number: order.external_order_number,
      customer_name: customerNameOf(order),
      customer_email: order.customer_email,
      total_amount: formatMinorUnits(order.total_minor, order.currency),
      currency: order.currency,
      order_status: order.order_status,
      payment_status: order.payment_status,
      fulfillment_status: order.fulfillment_status,
      import_status: order.import_status,
      storefront_id: order.storefront_id,
      storefront_name: names.get(order.storefront_id) ?? "",
      item_count: order.item_count,
      order_date: order.order_date,
    })),
    pagination: { page, limit: query.limit, total, totalPages: total === null ? null : Math.ceil(total / query.limit) },
    next_cursor: collected.nextCursor,
    statistics: orderStatistics(counters, headlineCurrency(scope, counters)),
  };
}
