/**
 * What a cart contributes to its storefront's cart counters (one counter item
 * per currency): the stream processor adds the difference between a cart's
 * contribution after a change and before it.
 */
import type { CartStatus } from "../schemas/cart";

export interface CountedCart {
  storefront_id: number;
  currency: string;
  cart_status: CartStatus;
  was_abandoned: boolean;
  total_minor: number;
  recovery_email_count: number;
  recovered_revenue_minor: number;
  recovered_currency: string | null;
}

/** Counter attribute -> amount, per "storefront#currency". */
export function cartContribution(cart: CountedCart): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const add = (currency: string, attribute: string, amount: number) => {
    if (amount === 0) return;
    const key = `${cart.storefront_id}#${currency}`;
    const entry = out.get(key) ?? {};
    entry[attribute] = (entry[attribute] ?? 0) + amount;
    out.set(key, entry);
  };
  const abandoned = cart.cart_status === "abandoned";
  const recovered = cart.cart_status === "recovered";
  add(cart.currency, "carts", 1);
  add(cart.currency, "abandoned_ever", cart.was_abandoned ? 1 : 0);
  add(cart.currency, "abandoned_now", abandoned ? 1 : 0);
  add(cart.currency, "abandoned_now_minor", abandoned ? cart.total_minor : 0);
  add(cart.currency, "emailed", cart.recovery_email_count > 0 ? 1 : 0);
  add(cart.currency, "emails", cart.recovery_email_count);
  add(cart.currency, "converted", cart.cart_status === "converted" || recovered ? 1 : 0);
  add(cart.currency, "recovered", recovered ? 1 : 0);
  // Recovered revenue is the order's, in the order's currency.
  if (recovered) add(cart.recovered_currency ?? cart.currency, "recovered_minor", cart.recovered_revenue_minor);
  return out;
}

/** after - before, per counter item; empty when nothing counted changed. */
export function cartDeltas(before: CountedCart | undefined, after: CountedCart | undefined): Map<string, Record<string, number>> {
  const deltas = new Map<string, Record<string, number>>();
  const apply = (contribution: Map<string, Record<string, number>>, sign: number) => {
    for (const [key, counters] of contribution) {
      const entry = deltas.get(key) ?? {};
      for (const [attribute, amount] of Object.entries(counters)) entry[attribute] = (entry[attribute] ?? 0) + sign * amount;
      deltas.set(key, entry);
    }
  };
  if (before) apply(cartContribution(before), -1);
  if (after) apply(cartContribution(after), 1);
  for (const [key, counters] of deltas) {
    for (const [attribute, amount] of Object.entries(counters)) if (amount === 0) delete counters[attribute];
    if (Object.keys(counters).length === 0) deltas.delete(key);
  }
  return deltas;
}
