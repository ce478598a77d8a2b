/**
 * The order list: newest first across the storefronts in scope (the one
 * named, else every storefront the key may read), with the statistics read
 * from the STATS#ORDERS counters the order-counters processor keeps. Its cost
 * depends on the page, not on the number of orders: one Query per storefront
 * in scope (more when status filters leave most orders out, bounded), one
 * BatchGetItem for the counters.
 */
import { batchGetItems, keyString } from "../data/batch";
import { decodeCursor, encodeCursor } from "../data/cursor";
import { BadRequestError } from "../http/errors";
import { collectionSortOf, continuationKeyOf, hasOrderFilter, queryStorefrontOrders, type DateRange, type OrderFilter } from "../data/orders";
import { STATS_KEYS, type StorefrontItem } from "../data/storefronts";
import type { ListOrdersQuery } from "../schemas/order";
import { averageMinor } from "./customer-records";
import { formatMinorUnits } from "./money";
import { statusCounter } from "./order-counters";
import { customerNameOf, type OrderRecord } from "./order-records";
import type { Principal } from "./roles";
import { storefrontsInScope } from "./storefront-scope";

/** Most orders one request examines when filters leave most out; past it the page comes back short, with a next_cursor. */
export const MAX_EXAMINED_PER_REQUEST = 20_000;
const FILTERED_QUERY_SIZE = 500;

type Counters = Record<string, unknown>;
type Key = Record<string, unknown>;

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

export function dateRangeOf(query: Pick<ListOrdersQuery, "from_date" | "to_date">): DateRange {
  const dateOnly = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
  return {
    from: query.from_date === undefined ? undefined : new Date(query.from_date).toISOString(),
    // A date alone as the upper bound includes that whole day.
    to: query.to_date === undefined ? undefined : dateOnly(query.to_date) ? `${query.to_date}T23:59:59.999Z` : new Date(query.to_date).toISOString(),
  };
}

/**
 * One storefront's side of the merge: matches read but not yet placed on
 * the page, where its reading stopped, and where a next page resumes.
 */
interface Lane {
  storefrontId: number;
  buffer: OrderRecord[];
  /** Where the next Query starts; undefined once the storefront's orders are all read. */
  readFrom: Key | undefined;
  ended: boolean;
  /** Nothing unplaced lies before this key (undefined: the start). */
  resumeAt: Key | undefined;
}

/**
 * The cursor: for each storefront of the scope, where it resumes (null:
 * nothing left). A storefront the cursor does not name (created since the
 * first page) has nothing on the following pages.
 */
const START = "start";
type CursorValue = Record<string, Key | null | typeof START>;

const invalidCursor = () =>
  new BadRequestError("invalid_cursor", "The cursor is not one this API returned for these parameters", [{ field: "query.cursor", message: "is not a valid cursor" }]);

function lanesFrom(scope: StorefrontItem[], cursor: string | undefined): Lane[] {
  const value = decodeCursor(cursor) as CursorValue | undefined;
  const positions = Object.values(value ?? {});
  if (!positions.every((position) => position === null || position === START || typeof position === "object")) throw invalidCursor();
  return scope.map((storefront) => {
    const position = value === undefined ? START : (value[String(storefront.storefront_id)] ?? null);
    const key = position === null || position === START ? undefined : position;
    return { storefrontId: storefront.storefront_id, buffer: [], readFrom: key, ended: position === null, resumeAt: key };
  });
}

/**
 * Places `skip + limit` matches on the page, newest first, merging the
 * storefronts' lists: a lane is read (again) only when its buffer runs dry.
 */
async function collectPage(lanes: Lane[], range: DateRange, filter: OrderFilter, skip: number, limit: number) {
  const filtered = hasOrderFilter(filter);
  const placed: OrderRecord[] = [];
  let examined = 0;
  while (placed.length < skip + limit && examined < MAX_EXAMINED_PER_REQUEST) {
    const dry = lanes.filter((lane) => lane.buffer.length === 0 && !lane.ended);
    if (dry.length > 0) {
      const wanted = skip + limit - placed.length;
      const examine = Math.min(filtered ? FILTERED_QUERY_SIZE : wanted, MAX_EXAMINED_PER_REQUEST - examined);
      examined += examine * dry.length;
      await Promise.all(
        dry.map(async (lane) => {
          const page = await queryStorefrontOrders(lane.storefrontId, { range, filter, examine, startKey: lane.readFrom });
          lane.buffer.push(...page.orders);
          lane.readFrom = page.lastKey;
          lane.ended = page.lastKey === undefined;
          if (page.orders.length === 0) lane.resumeAt = page.lastKey;
        }),
      );
      continue;
    }
    const next = lanes
      .filter((lane) => lane.buffer.length > 0)
      .reduce<Lane | undefined>((newest, lane) => (newest && collectionSortOf(newest.buffer[0]!) > collectionSortOf(lane.buffer[0]!) ? newest : lane), undefined);
    if (!next) break;
    const order = next.buffer.shift()!;
    placed.push(order);
    next.resumeAt = next.buffer.length > 0 ? continuationKeyOf(order) : next.readFrom;
  }
  const more = lanes.some((lane) => lane.buffer.length > 0 || !lane.ended);
  const cursor: CursorValue = Object.fromEntries(
    lanes.map((lane) => [String(lane.storefrontId), lane.buffer.length === 0 && lane.ended ? null : (lane.resumeAt ?? START)]),
  );
  return { orders: placed.slice(skip), nextCursor: more ? encodeCursor(cursor) : null };
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
  const [collected, stats] = await Promise.all([
    collectPage(lanesFrom(scope, query.cursor), range, filter, ((page ?? 1) - 1) * query.limit, query.limit),
    batchGetItems(statsKeys),
  ]);
  const counters = sumCounters(statsKeys.map((key) => stats.get(keyString(key)) ?? {}));
  const names = new Map(scope.map((storefront) => [storefront.storefront_id, storefront.storefront_name]));
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
      storefront_name: names.get(order.storefront_id) ?? "",
      item_count: order.item_count,
      order_date: order.order_date,
    })),
    pagination: { page, limit: query.limit, total, totalPages: total === null ? null : Math.ceil(total / query.limit) },
    next_cursor: collected.nextCursor,
    statistics: orderStatistics(counters, headlineCurrency(scope, counters)),
  };
}
