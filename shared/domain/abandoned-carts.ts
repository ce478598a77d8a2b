/**
 * The abandoned-cart list and its statistics (from the cart counters kept by
 * the cart-counters stream processor).
 */
import { abandonedCartsCollection, abandonedContinuationKey, abandonedSortKey, cartStatsItems, queryAbandonedCarts } from "../data/carts";
import { BadRequestError } from "../http/errors";
import type { ListAbandonedCartsQuery } from "../schemas/cart";
import { abandonedFor, cartView, type CartRecord } from "./cart-records";
import { currencyDecimals, formatMinorUnits, toMinorUnits } from "./money";
import { newestFirstPage, type MergeSource } from "./newest-first-merge";
import { statisticsCurrency, storefrontsInScope } from "./storefront-scope";
import type { Principal } from "./roles";

/** The counters of carts per currency, as the seed's statistics, money in `currency`. */
export async function cartStatistics(storefrontIds: number[], currency: string) {
  const items = (await Promise.all(storefrontIds.map(cartStatsItems))).flat();
  // Counter items are STATS#CARTS#<currency>.
  const currencyOf = (item: Record<string, unknown>) => String(item.sk).slice("STATS#CARTS#".length);
  const sum = (attribute: string, only?: string) =>
    items.filter((item) => only === undefined || currencyOf(item) === only).reduce((total, item) => total + Number(item[attribute] ?? 0), 0);
  const abandonedNow = sum("abandoned_now", currency);
  const potential = sum("abandoned_now_minor", currency);
  const everAbandoned = sum("abandoned_ever");
  const recovered = sum("recovered");
  return {
    total_abandoned_carts: everAbandoned,
    currently_abandoned_carts: sum("abandoned_now"),
    potential_revenue: formatMinorUnits(potential, currency),
    average_cart_value: formatMinorUnits(abandonedNow === 0 ? 0 : Math.round(potential / abandonedNow), currency),
    recovery_emails_sent: sum("emailed"),
    total_recovery_emails: sum("emails"),
    recovered_carts: recovered,
    recovered_revenue: formatMinorUnits(sum("recovered_minor", currency), currency),
    recovery_rate: everAbandoned === 0 ? "0.00" : ((recovered * 100) / everAbandoned).toFixed(2),
    currency,
  };
}

const DAY_MS = 86_400_000;

const invalidCursor = () =>
  new BadRequestError("invalid_cursor", "The cursor is not one this API returned for these parameters", [{ field: "query.cursor", message: "is not a valid cursor" }]);

/** The least amount in minor units of `currency` that is at least the decimal `value` (rounding up decimals the currency lacks). */
function smallestMinorAtLeast(value: string, currency: string): number {
  const [whole = "0", fraction = ""] = value.split(".");
  const decimals = currencyDecimals(currency);
  const kept = Number(toMinorUnits(`${whole}.${fraction.slice(0, decimals) || "0"}`, currency));
  return /[1-9]/.test(fraction.slice(decimals)) ? kept + 1 : kept;
}

/** Abandoned carts newest first, over the storefront named or every storefront the key may read. */
export async function listAbandonedCarts(query: ListAbandonedCartsQuery, principal: Principal, now = new Date()) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const since = query.days_abandoned === undefined ? undefined : new Date(now.getTime() - query.days_abandoned * DAY_MS).toISOString();
  const minimum = (cart: CartRecord) => (query.min_value === undefined ? 0 : smallestMinorAtLeast(query.min_value, cart.currency));
  const matches = (cart: CartRecord) =>
    cart.total_minor >= minimum(cart) && (query.recovery_sent === undefined || cart.recovery_email_sent === query.recovery_sent);
  const filtered = query.min_value !== undefined || query.recovery_sent !== undefined;
  const source: MergeSource<CartRecord> = {
    read: async (storefrontId, examine, startKey) => {
      if (startKey && !(startKey.gsi1pk === abandonedCartsCollection(storefrontId) && (since === undefined || String(startKey.gsi1sk) >= since))) throw invalidCursor();
      const page = await queryAbandonedCarts(storefrontId, { limit: examine, startKey, since });
      return { records: page.carts.filter(matches), lastKey: page.lastKey };
    },
    sortKeyOf: abandonedSortKey,
    continuationKeyOf: abandonedContinuationKey,
    filtered,
  };
  const page = query.cursor === undefined ? (query.page ?? 1) : null;
  const storefrontIds = scope.map((storefront) => storefront.storefront_id);
  const currency = statisticsCurrency(scope);
  const [collected, statistics] = await Promise.all([
    newestFirstPage(source, storefrontIds, query.cursor, ((page ?? 1) - 1) * query.limit, query.limit),
    cartStatistics(storefrontIds, currency),
  ]);
  const total = filtered || since !== undefined ? null : statistics.currently_abandoned_carts;
  return {
    carts: collected.records.map((cart) => ({ ...cartView(cart), ...abandonedFor(cart.abandoned_at ?? cart.last_activity_at, now) })),
    pagination: { page, limit: query.limit, total, totalPages: total === null ? null : Math.ceil(total / query.limit) },
    next_cursor: collected.nextCursor,
    statistics,
  };
}
