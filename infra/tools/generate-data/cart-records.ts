/**
 * A planned cart's items as the cart upsert, the abandonment sweep and the
 * recovery emails leave them: the cart, its token lookup and its emails.
 */
import { parseWith } from "../../../shared/schemas/parse";
import { upsertCartBody } from "../../../shared/schemas/cart";
import { cartItem, cartLookupKey, recoveryEmailKey } from "../../../shared/data/carts";
import { addHours, cartFieldsOf, type CartRecord } from "../../../shared/domain/cart-records";
import type { PlannedCart } from "./carts";
import { HOUR_MS, iso } from "./local-time";
import { hashOf } from "./random";

/** Emails of the default sequence sent after abandonment before `until`: at most `wanted`. */
function emailTimes(abandonedAt: number, until: number, wanted: number): number[] {
  return [1, 24, 72].map((hours) => abandonedAt + hours * HOUR_MS).filter((at) => at < until).slice(0, wanted);
}

export function cartRecords(seed: number, planned: PlannedCart, cartId: number, now: number) {
  const input = parseWith(upsertCartBody, {
    storefront_id: planned.storefront.id,
    cart_token: planned.token,
    customer_email: planned.email,
    ...(planned.externalCustomerId ? { external_customer_id: planned.externalCustomerId } : {}),
    ...(planned.firstName ? { customer_first_name: planned.firstName } : {}),
    buyer_accepts_marketing: hashOf(planned.token) % 3 !== 0,
    currency: planned.currency,
    checkout_url: `https://${planned.storefront.code.toLowerCase()}.example.com/checkouts/${planned.token}/recover`,
    cart_items: planned.items,
    created_at: iso(planned.createdAt),
    updated_at: iso(planned.completedAt ?? planned.lastActivity),
    ...(planned.completedAt ? { completed_at: iso(planned.completedAt) } : {}),
  });
  const fields = cartFieldsOf(input, planned.currency);
  const abandonedAt = planned.lastActivity + planned.storefront.abandonHours * HOUR_MS;
  const wasAbandoned = planned.status === "abandoned" || planned.status === "recovered";
  const until = planned.completedAt ?? now;
  const wanted = planned.status === "recovered" ? 3 : hashOf(planned.token, "emails") % 10 < 4 ? 1 + (hashOf(planned.token) % 3) : 0;
  const emails = wasAbandoned ? emailTimes(abandonedAt, until, wanted) : [];
  const lastEmail = emails[emails.length - 1];
  const completed = planned.completedAt !== null;
  const cart: CartRecord = {
    ...fields,
    cart_id: cartId,
    storefront_id: planned.storefront.id,
    ecommerce_customer_id: planned.customerId,
    cart_status: planned.status,
    is_abandoned: planned.status === "abandoned",
    was_abandoned: wasAbandoned,
    abandoned_at: wasAbandoned ? iso(abandonedAt) : null,
    last_activity_at: iso(planned.completedAt ?? planned.lastActivity),
    abandon_after: planned.status === "active" ? addHours(iso(planned.lastActivity), planned.storefront.abandonHours) : null,
    recovery_email_sent: emails.length > 0,
    recovery_email_sent_at: lastEmail === undefined ? null : iso(lastEmail),
    recovery_email_count: emails.length,
    converted_to_order: completed,
    // The order links itself when the cart-conversion processor sees it (with the recovered revenue).
    ecommerce_order_id: null,
    converted_at: completed ? iso(planned.completedAt!) : null,
    recovered_revenue_minor: 0,
    recovered_currency: null,
    platform_updated_at: iso(planned.completedAt ?? planned.lastActivity),
    time_zone: planned.storefront.timeZone,
    created_at: iso(planned.createdAt),
    updated_at: iso(Math.max(planned.completedAt ?? planned.lastActivity, wasAbandoned && !completed ? (lastEmail ?? abandonedAt) : 0)),
    version: 1 + (wasAbandoned ? 1 : 0) + emails.length + (completed ? 1 : 0),
  };
  const sent = emails.map((at, index) => ({
    ...recoveryEmailKey(cartId, index + 1),
    entity: "recovery_email",
    cart_id: cartId,
    storefront_id: planned.storefront.id,
    step: index + 1,
    template: "default",
    recipient: planned.email,
    status: "sent",
    ses_message_id: `gen-${seed}-${hashOf(planned.token, index).toString(16)}`,
    claimed_at: iso(at),
    sent_at: iso(at),
  }));
  const lookup = { ...cartLookupKey(planned.storefront.id, "CARTTOKEN", planned.token), entity: "cart_lookup", cart_id: cartId };
  return { cart, items: [cartItem(cart), lookup, ...sent] };
}
