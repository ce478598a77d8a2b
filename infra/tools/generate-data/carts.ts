/**
 * Carts, planned: the checkouts that became orders (straight away or after
 * recovery emails), carts left behind, and carts still being filled.
 */
import type { Sellable, Storefront } from "./catalog";
import { DAY_MS, HOUR_MS } from "./local-time";
import { money } from "./money";
import { cartTokenOf, type PlannedOrder } from "./orders";
import { randomFor, type Random } from "./random";

export interface PlannedCart {
  storefront: Storefront;
  token: string;
  email: string;
  externalCustomerId: string | null;
  customerId: number | null;
  firstName: string | null;
  currency: string;
  items: Record<string, unknown>[];
  createdAt: number;
  lastActivity: number;
  status: "active" | "abandoned" | "converted" | "recovered";
  /** When the checkout completed (converted and recovered carts). */
  completedAt: number | null;
}

export function planCarts(seed: number, orders: PlannedOrder[], storefronts: Storefront[], catalogs: Map<number, Sellable[]>, customerIds: Map<string, number>, now: number): PlannedCart[] {
  const carts: PlannedCart[] = [];
  // Checkouts that became orders: straight away, or after abandonment and recovery emails.
  for (const order of orders) {
    if (!order.cart) continue;
    const random = randomFor(seed, "order-cart", order.index);
    const hours = order.storefront.abandonHours;
    const lastActivity = order.cart === "recovered" ? order.at - (hours + random.int(2, 72)) * HOUR_MS - random.int(0, 3599) * 1000 : order.at - random.int(2, 40) * 60_000;
    carts.push({
      storefront: order.storefront,
      token: String(order.body.cart_token),
      email: order.shopper.email.toLowerCase(),
      externalCustomerId: order.shopper.externalId,
      customerId: customerIds.get(`${order.storefront.id}#${order.shopper.index}`) ?? null,
      firstName: order.shopper.firstName,
      currency: String(order.body.currency),
      items: cartLinesOf(order),
      createdAt: lastActivity - random.int(1, 30) * 60_000,
      lastActivity,
      status: order.cart,
      completedAt: order.at,
    });
  }
  // Carts left behind (about one per four orders) and carts still active (within the abandonment window).
  const known = [...new Map(orders.map((order) => [`${order.storefront.id}#${order.shopper.index}`, order.shopper])).values()];
  const abandoned = Math.round(orders.length * 0.25);
  const active = Math.max(3, Math.round(orders.length * 0.02));
  const days = Math.max(1, Math.ceil((now - Math.min(now, ...orders.map((order) => order.at))) / DAY_MS));
  for (let index = 0; index < abandoned + active; index++) {
    const random = randomFor(seed, "cart", index);
    const isActive = index >= abandoned;
    const storefront = random.weighted(storefronts.map((each) => [each, each.share] as const));
    const hours = storefront.abandonHours;
    const lastActivity = isActive ? now - random.int(1, Math.max(2, hours * 60 - 30)) * 60_000 : now - hours * HOUR_MS - random.int(5, Math.max(6, days * 24 * 60)) * 60_000;
    const shoppersHere = known.filter((shopper) => shopper.storefront === storefront);
    const shopper = random.chance(0.5) && shoppersHere.length > 0 ? random.pick(shoppersHere) : undefined;
    const kind = isActive ? "active" : "abandoned";
    carts.push({
      storefront,
      token: cartTokenOf(seed, kind, index),
      email: shopper?.email.toLowerCase() ?? `guest.${seed}.${kind}.${index + 1}@example.net`,
      externalCustomerId: shopper?.externalId ?? null,
      customerId: shopper ? (customerIds.get(`${storefront.id}#${shopper.index}`) ?? null) : null,
      firstName: shopper?.firstName ?? null,
      currency: storefront.currency,
      items: cartLinesFrom(random, catalogs.get(storefront.id)!, storefront.currency),
      createdAt: lastActivity - random.int(1, 90) * 60_000,
      lastActivity,
      status: kind,
      completedAt: null,
    });
  }
  return carts;
}

function cartLinesOf(order: PlannedOrder): Record<string, unknown>[] {
  return (order.body.line_items as Record<string, unknown>[]).map((line) => ({
    external_product_id: line.external_product_id,
    ...(line.external_variant_id ? { external_variant_id: line.external_variant_id } : {}),
    ...(line.sku ? { sku: line.sku } : {}),
    product_name: line.product_name,
    ...(line.variant_name ? { variant_name: line.variant_name } : {}),
    quantity: line.quantity,
    unit_price: line.unit_price,
  }));
}

function cartLinesFrom(random: Random, catalog: Sellable[], currency: string): Record<string, unknown>[] {
  const chosen = new Set<Sellable>();
  const count = random.weighted([[1, 60], [2, 30], [3, 10]] as const);
  while (chosen.size < Math.min(count, catalog.length)) chosen.add(random.weighted(catalog.map((sellable) => [sellable, sellable.weight] as const)));
  return [...chosen].map((sellable) => ({
    external_product_id: sellable.external_product_id,
    ...(sellable.external_variant_id ? { external_variant_id: sellable.external_variant_id } : {}),
    ...(sellable.sku ? { sku: sellable.sku } : {}),
    product_name: sellable.product_name,
    ...(sellable.variant_name ? { variant_name: sellable.variant_name } : {}),
    quantity: random.weighted([[1, 85], [2, 15]] as const),
    unit_price: money(sellable.price_minor, currency),
  }));
}
