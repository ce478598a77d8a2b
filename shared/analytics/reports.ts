/**
 * The seed's three reporting views, one row per storefront the key may read,
 * from the counters the stream processors keep (never from the orders,
 * products or carts themselves).
 */
import { batchGetItems, keyString } from "../data/batch";
import { getCatalogCounters } from "../data/catalog-stats";
import { STATS_KEYS, type StorefrontItem } from "../data/storefronts";
import { cartStatistics } from "../domain/abandoned-carts";
import { formatMinorUnits } from "../domain/money";
import { statusCounter } from "../domain/order-counters";
import { storefrontsInScope } from "../domain/storefront-scope";
import type { Principal } from "../domain/roles";
import type { ReportQuery } from "../schemas/analytics";

const columnsOf = (storefront: StorefrontItem) => ({
  storefront_id: storefront.storefront_id,
  storefront_code: storefront.storefront_code,
  storefront_name: storefront.storefront_name,
  platform_type: storefront.platform_type,
});

export async function salesSummary(query: ReportQuery, principal: Principal) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const found = await batchGetItems(scope.flatMap(({ storefront_id: id }) => [STATS_KEYS.orders(id), STATS_KEYS.customers(id)]));
  const data = scope.map((storefront) => {
    const orders = found.get(keyString(STATS_KEYS.orders(storefront.storefront_id))) ?? {};
    const customers = found.get(keyString(STATS_KEYS.customers(storefront.storefront_id))) ?? {};
    const currency = storefront.default_currency;
    const revenue = Number((orders.revenue_minor as Record<string, number> | undefined)?.[currency] ?? 0);
    const sales = Number((orders.sale_count as Record<string, number> | undefined)?.[currency] ?? 0);
    const count = (name: string) => Number(orders[name] ?? 0);
    return {
      ...columnsOf(storefront),
      currency,
      total_orders: count("order_count"),
      total_revenue: formatMinorUnits(revenue, currency),
      average_order_value: formatMinorUnits(sales === 0 ? 0 : Math.round(revenue / sales), currency),
      unique_customers: Number(customers.buyers ?? 0),
      fulfilled_orders: count(statusCounter.fulfillment("fulfilled")),
      cancelled_orders: count(statusCounter.order("cancelled")),
    };
  });
  return { data };
}

export async function productSyncStatus(query: ReportQuery, principal: Principal) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const counters = await getCatalogCounters(scope.map((storefront) => storefront.storefront_id));
  return {
    data: scope.map((storefront) => {
      const catalog = counters.get(storefront.storefront_id)!;
      return {
        ...columnsOf(storefront),
        total_products: catalog.product_count,
        synced_products: catalog.synced_count,
        error_products: catalog.error_count,
        pending_products: catalog.pending_count,
        conflict_products: catalog.conflict_count,
        last_sync_time: storefront.last_product_sync_at,
      };
    }),
  };
}

export async function abandonedCartsSummary(query: ReportQuery, principal: Principal) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const data = await Promise.all(
    scope.map(async (storefront) => {
      const statistics = await cartStatistics([storefront.storefront_id], storefront.default_currency);
      return {
        ...columnsOf(storefront),
        currency: statistics.currency,
        total_abandoned_carts: statistics.total_abandoned_carts,
        potential_revenue: statistics.potential_revenue,
        average_cart_value: statistics.average_cart_value,
        recovery_emails_sent: statistics.recovery_emails_sent,
        recovered_carts: statistics.recovered_carts,
        recovered_revenue: statistics.recovered_revenue,
        recovery_rate: statistics.recovery_rate,
      };
    }),
  );
  return { data };
}
