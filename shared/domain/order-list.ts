/**
 * The order list: a storefront's orders, newest first, with the statistics
 * read from the STATS#ORDERS counters the order-counters processor keeps.
 * Its cost depends on the page, not on the number of orders: one Query (more
 * when status filters leave most orders out, bounded), one GetItem for the counters.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "../data/client";
import { decodeCursor, encodeCursor } from "../data/cursor";
import { continuationKeyOf, hasOrderFilter, queryStorefrontOrders, type DateRange, type OrderFilter } from "../data/orders";
import { STATS_KEYS } from "../data/storefronts";
import type { ListOrdersQuery } from "../schemas/order";
import { requireKnownStorefront } from "./catalog-access";
import { averageMinor } from "./customer-records";
import { formatMinorUnits } from "./money";
import { statusCounter } from "./order-counters";
import { customerNameOf, type OrderRecord } from "./order-records";
import type { Principal } from "./roles";

/** Most orders one request examines when filters leave most out; past it the page comes back short, with a next_cursor. */
export const MAX_EXAMINED_PER_REQUEST = 20_000;
const FILTERED_QUERY_SIZE = 500;

type Counters = Record<string, unknown>;

async function orderCounters(storefrontId: number): Promise<Counters> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: STATS_KEYS.orders(storefrontId) }));
  return Item ?? {};
}

const count = (counters: Counters, attribute: string) => Number(counters[attribute] ?? 0);
const inMap = (counters: Counters, map: string) => (counters[map] as Record<string, number> | undefined) ?? {};

export function orderStatistics(counters: Counters, defaultCurrency: string) {
  const revenue = inMap(counters, "revenue_minor");
  const sales = inMap(counters, "sale_count");
  return {
    total_orders: count(counters, "order_count"),
    total_revenue: formatMinorUnits(revenue[defaultCurrency] ?? 0, defaultCurrency),
    revenue_by_currency: Object.fromEntries(Object.entries(revenue).map(([currency, minor]) => [currency, formatMinorUnits(minor, currency)])),
    average_order_value: formatMinorUnits(averageMinor(revenue[defaultCurrency] ?? 0, sales[defaultCurrency] ?? 0), defaultCurrency),
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

export function dateRangeOf(query: Pick<ListOrdersQuery, "from_date" | "to_date">): DateRange {
  const dateOnly = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
  return {
    from: query.from_date === undefined ? undefined : new Date(query.from_date).toISOString(),
    // A date alone as the upper bound includes that whole day.
    to: query.to_date === undefined ? undefined : dateOnly(query.to_date) ? `${query.to_date}T23:59:59.999Z` : new Date(query.to_date).toISOString(),
  };
}

/** Collects `skip + limit` matches (skipping the first `skip`) from `startKey` on. */
async function collectPage(storefrontId: number, range: DateRange, filter: OrderFilter, startKey: Record<string, unknown> | undefined, skip: number, limit: number) {
  const filtered = hasOrderFilter(filter);
  const matches: OrderRecord[] = [];
  let examined = 0;
  let key = startKey;
  do {
    const wanted = skip + limit + 1 - matches.length;
    const examine = filtered ? FILTERED_QUERY_SIZE : wanted;
    const page = await queryStorefrontOrders(storefrontId, { range, filter, examine, startKey: key });
    matches.push(...page.orders);
    examined += examine;
    key = page.lastKey;
  } while (key && matches.length <= skip + limit && examined < MAX_EXAMINED_PER_REQUEST);
  const pageOrders = matches.slice(skip, skip + limit);
  const more = matches.length > skip + limit || key !== undefined;
  // Continue after the last order shown when more matched; else where the reading stopped.
  const next = matches.length > skip + limit ? continuationKeyOf(pageOrders[pageOrders.length - 1]!) : key;
  return { orders: pageOrders, nextKey: more ? next : undefined };
}

export async function listOrders(query: ListOrdersQuery, principal: Principal) {
  const storefront = await requireKnownStorefront(principal, query.storefront_id, "query.storefront_id");
  const filter: OrderFilter = {
    order_status: query.order_status,
    payment_status: query.payment_status,
    fulfillment_status: query.fulfillment_status,
    import_status: query.import_status,
  };
  const range = dateRangeOf(query);
  const page = query.cursor === undefined ? (query.page ?? 1) : null;
  const [collected, counters] = await Promise.all([
    collectPage(storefront.storefront_id, range, filter, decodeCursor(query.cursor), ((page ?? 1) - 1) * query.limit, query.limit),
    orderCounters(storefront.storefront_id),
  ]);
  const total = matchingTotal(filter, range, counters);
  return {
    orders: collected.orders.map((order) => ({
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
      storefront_name: storefront.storefront_name,
      item_count: order.item_count,
      order_date: order.order_date,
    })),
    pagination: { page, limit: query.limit, total, totalPages: total === null ? null : Math.ceil(total / query.limit) },
    next_cursor: encodeCursor(collected.nextKey),
    statistics: orderStatistics(counters, storefront.default_currency),
  };
}
