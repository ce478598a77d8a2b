/**
 * GET /api/ecommerce/analytics: a period's figures summed from the daily
 * counters and customer sketches (one key-range Query per storefront and
 * kind), the catalog counters, and the top products' names. Nothing here
 * reads orders or carts, so the cost follows the number of days, not of orders.
 */
import { batchGetItems, keyString } from "../data/batch";
import { getCatalogCounters } from "../data/catalog-stats";
import { queryCustomerSketches, queryDailyCounters, queryDailyProducts } from "../data/daily-aggregates";
import { productKey } from "../data/products";
import { BadRequestError } from "../http/errors";
import { addDays, datesInRange, daysInRange, localDate } from "../domain/local-dates";
import { formatMinorUnits } from "../domain/money";
import { statisticsCurrency, storefrontsInScope } from "../domain/storefront-scope";
import type { Principal } from "../domain/roles";
import { MAX_PERIOD_DAYS, type AnalyticsQuery } from "../schemas/analytics";
import { counterName, type Counters } from "./daily-counters";
import { distinctCustomers, type CustomerSketch } from "./customer-sketch";

export const TOP_PRODUCTS = 10;
const DEFAULT_PERIOD_DAYS = 30;

export interface Period {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
}

/** The period asked for (default: the 30 days up to today, both included, as the seed answers) and the one before it. */
export function periodOf(query: Pick<AnalyticsQuery, "from_date" | "to_date">, today: string): Period {
  const to = query.to_date ?? today;
  const from = query.from_date ?? addDays(to, -DEFAULT_PERIOD_DAYS);
  if (from > to) throw new BadRequestError("invalid_period", "from_date is after to_date", [{ field: "query.from_date", message: "must not be after to_date" }]);
  const length = daysInRange(from, to);
  if (length > MAX_PERIOD_DAYS) {
    throw new BadRequestError("invalid_period", `A period covers at most ${MAX_PERIOD_DAYS} days`, [{ field: "query.from_date", message: `must be at most ${MAX_PERIOD_DAYS} days before to_date` }]);
  }
  return { from, to, previousFrom: addDays(from, -length), previousTo: addDays(from, -1) };
}

const sumInto = (total: Counters, counters: Counters) => {
  for (const [name, amount] of Object.entries(counters)) total[name] = (total[name] ?? 0) + amount;
};

const percentOf = (part: number, whole: number): string => (whole === 0 ? "0.00" : ((part * 100) / whole).toFixed(2));
const growthOf = (current: number, previous: number): string | null => (previous === 0 ? null : (((current - previous) * 100) / previous).toFixed(2));
const averageOf = (total: number, count: number) => (count === 0 ? 0 : Math.round(total / count));

/** Per product id, what the period's counters say it sold. */
function productSales(counters: Counters, currency: string) {
  const products = new Map<number, { quantity: number; orders: number; revenue: number }>();
  for (const [name, amount] of Object.entries(counters)) {
    const match = /^p#(\d+)#(q|o|r#([A-Z]{3}))$/.exec(name);
    if (!match) continue;
    const id = Number(match[1]);
    const entry = products.get(id) ?? { quantity: 0, orders: 0, revenue: 0 };
    if (match[2] === "q") entry.quantity += amount;
    else if (match[2] === "o") entry.orders += amount;
    else if (match[3] === currency) entry.revenue += amount;
    products.set(id, entry);
  }
  return [...products]
    .filter(([, sales]) => sales.quantity > 0)
    .sort(([idA, a], [idB, b]) => b.quantity - a.quantity || b.revenue - a.revenue || idA - idB);
}

async function topProducts(counters: Counters, currency: string) {
  const top = productSales(counters, currency).slice(0, TOP_PRODUCTS);
  const found = await batchGetItems(top.map(([id]) => productKey(id)));
  return top.map(([id, sales]) => {
    const product = found.get(keyString(productKey(id)));
    return {
      ecommerce_product_id: id,
      storefront_id: Number(product?.storefront_id ?? 0),
      product_name: product ? String(product.product_name) : `Deleted product ${id}`,
      erp_sku: (product?.erp_sku as string | null | undefined) ?? null,
      total_sold: sales.quantity,
      total_revenue: formatMinorUnits(sales.revenue, currency),
      order_count: sales.orders,
    };
  });
}

function revenueByCurrency(current: Counters, previous: Counters) {
  const currencies = new Set(
    [...Object.keys(current), ...Object.keys(previous)].flatMap((name) => {
      const match = /^revenue#([A-Z]{3})$/.exec(name);
      return match ? [match[1]!] : [];
    }),
  );
  return [...currencies].sort().map((code) => {
    const revenue = current[counterName.revenue(code)] ?? 0;
    const previousRevenue = previous[counterName.revenue(code)] ?? 0;
    const sales = current[counterName.sales(code)] ?? 0;
    return {
      currency: code,
      sales,
      total_revenue: formatMinorUnits(revenue, code),
      average_order_value: formatMinorUnits(averageOf(revenue, sales), code),
      previous_revenue: formatMinorUnits(previousRevenue, code),
      revenue_growth: growthOf(revenue, previousRevenue),
    };
  });
}

export async function periodAnalytics(query: AnalyticsQuery, principal: Principal, now = new Date()) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const timeZone = scope[0]?.timezone ?? "UTC";
  const currency = statisticsCurrency(scope);
  const period = periodOf(query, localDate(now, timeZone));
  const ids = scope.map((storefront) => storefront.storefront_id);
  const [days, productDays, sketches, catalogs] = await Promise.all([
    Promise.all(ids.map((id) => queryDailyCounters(id, period.previousFrom, period.to))),
    Promise.all(ids.map((id) => queryDailyProducts(id, period.from, period.to))),
    Promise.all(ids.map((id) => queryCustomerSketches(id, period.from, period.to))),
    getCatalogCounters(ids),
  ]);

  const current: Counters = {};
  const previous: Counters = {};
  const byDate = new Map<string, Counters>();
  for (const storefrontDays of days) {
    for (const [date, counters] of storefrontDays) {
      if (date < period.from) {
        sumInto(previous, counters);
        continue;
      }
      sumInto(current, counters);
      const day = byDate.get(date) ?? {};
      sumInto(day, counters);
      byDate.set(date, day);
    }
  }
  for (const storefrontProducts of productDays) for (const counters of storefrontProducts.values()) sumInto(current, counters);
  const sketchList: CustomerSketch[] = sketches.flatMap((storefrontSketches) => [...storefrontSketches.values()]);
  // Customers of different storefronts are different customers: their ids never collide.
  const customers = distinctCustomers(sketchList);
  const count = (name: string) => current[name] ?? 0;
  const revenue = count(counterName.revenue(currency));
  const catalog = { product_count: 0, total_inventory: 0, out_of_stock_count: 0, low_stock_count: 0, published_count: 0 };
  for (const counters of catalogs.values()) for (const name of Object.keys(catalog) as (keyof typeof catalog)[]) catalog[name] += counters[name];
  const abandonedInCurrency = count(counterName.abandoned(currency));

  return {
    sales_metrics: {
      total_orders: count("orders"),
      total_revenue: formatMinorUnits(revenue, currency),
      average_order_value: formatMinorUnits(averageOf(revenue, count(counterName.sales(currency))), currency),
      unique_customers: customers.count,
      unique_customers_estimated: !customers.exact,
      fulfilled_orders: count("fulfilled"),
      cancelled_orders: count("cancelled"),
      paid_orders: count("paid"),
      pending_payments: count("pending_payment"),
      conversion_rate: percentOf(count("carts_converted"), count("carts_created")),
      revenue_growth: growthOf(revenue, previous[counterName.revenue(currency)] ?? 0),
    },
    currency,
    revenue_by_currency: revenueByCurrency(current, previous),
    top_products: await topProducts(current, currency),
    daily_trend: datesInRange(period.from, period.to).map((date) => ({
      date,
      order_count: byDate.get(date)?.orders ?? 0,
      revenue: formatMinorUnits(byDate.get(date)?.[counterName.revenue(currency)] ?? 0, currency),
    })),
    abandoned_carts: {
      total_abandoned: count("abandoned"),
      potential_revenue: formatMinorUnits(count(counterName.stillAbandonedValue(currency)), currency),
      average_cart_value: formatMinorUnits(averageOf(count(counterName.abandonedValue(currency)), abandonedInCurrency), currency),
      recovery_emails_sent: count("emailed"),
      recovered_carts: count("recovered"),
      recovered_revenue: formatMinorUnits(count(counterName.recoveredRevenue(currency)), currency),
      recovery_rate: percentOf(count("recovered"), count("abandoned")),
    },
    inventory_status: {
      total_products: catalog.product_count,
      total_inventory: catalog.total_inventory,
      out_of_stock_count: catalog.out_of_stock_count,
      low_stock_count: catalog.low_stock_count,
      published_count: catalog.published_count,
    },
    period: { from_date: period.from, to_date: period.to, previous_from_date: period.previousFrom, previous_to_date: period.previousTo, time_zone: timeZone },
  };
}
