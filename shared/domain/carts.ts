/**
 * Carts: the upsert that storefronts and webhooks call, reading one cart,
 * and linking a cart to the order that completed it.
 */
import { ConflictError, NotFoundError } from "../http/errors";
import { findCustomerIds } from "../data/customers";
import { nextId } from "../data/sequence";
import { findCartIds, getCart, replaceCart, writeCart } from "../data/carts";
import type { UpsertCartInput } from "../schemas/cart";
import { addHours, cartFieldsOf, cartView, isFinal, type CartRecord } from "./cart-records";
import { requireStorefrontAccess } from "./catalog-access";
import { cartSettingsOf } from "../carts/settings";
import { getStorefront } from "../data/storefronts";
import { unknownStorefront } from "./catalog-access";
import type { Principal } from "./roles";

const MAX_ATTEMPTS = 5;

/** The customer a cart belongs to, when the storefront knows them already (by external id, else email). */
async function knownCustomerId(storefrontId: number, externalId: string | null, email: string | null): Promise<number | null> {
  if (!email && !externalId) return null;
  const found = await findCustomerIds(storefrontId, externalId ?? undefined, email ?? "");
  return found.byExternalId ?? (email ? found.byEmail : undefined) ?? null;
}

export interface CartOutcome {
  status: 200 | 201;
  action: "created" | "updated" | "unchanged" | "stale";
  message: string;
  cart: CartRecord;
}

/**
 * Creates or updates a cart by (storefront, external_cart_id or cart_token).
 * Every update is activity: it moves the abandonment deadline and brings an
 * abandoned cart back to active. An update older than the stored one (by the
 * platform's updated_at) is not applied; a cart that became an order is not changed.
 */
export async function upsertCart(input: UpsertCartInput, principal: Principal, now = new Date()): Promise<CartOutcome> {
  requireStorefrontAccess(principal, input.storefront_id);
  const storefront = await getStorefront(input.storefront_id);
  if (!storefront) throw unknownStorefront("body.storefront_id", input.storefront_id);
  const settings = cartSettingsOf(storefront);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const ids = await findCartIds(storefront.storefront_id, input.external_cart_id ?? null, input.cart_token ?? null);
    if (ids.length > 1) {
      throw new ConflictError("cart_keys_conflict", "external_cart_id and cart_token name two different carts", [{ field: "body.cart_token", message: "belongs to another cart" }]);
    }
    const current = ids[0] === undefined ? undefined : await getCart(ids[0], { consistentRead: true });
    if (current && isFinal(current.cart_status)) {
      return { status: 200, action: "unchanged", message: `The cart is ${current.cart_status}: it is not changed any more`, cart: current };
    }
    if (current && input.updated_at && current.platform_updated_at && input.updated_at <= current.platform_updated_at) {
      const stale = input.updated_at < current.platform_updated_at;
      return { status: 200, action: stale ? "stale" : "unchanged", message: stale ? "A newer update of this cart was applied already" : "This update was applied already", cart: current };
    }
    const fields = cartFieldsOf(input, input.currency ?? current?.currency ?? storefront.default_currency);
    const nowIso = now.toISOString();
    const activity = input.updated_at ?? nowIso;
    const completed = fields.completed_at !== null;
    const customerId =
      current?.ecommerce_customer_id && current.customer_email === fields.customer_email
        ? current.ecommerce_customer_id
        : await knownCustomerId(storefront.storefront_id, fields.external_customer_id, fields.customer_email);
    const cart: CartRecord = {
      recovery_email_sent: false,
      recovery_email_sent_at: null,
      recovery_email_count: 0,
      was_abandoned: false,
      ecommerce_order_id: null,
      recovered_revenue_minor: 0,
      recovered_currency: null,
      ...current,
      ...fields,
      cart_id: current?.cart_id ?? (await nextId("cart")),
      storefront_id: storefront.storefront_id,
      external_cart_id: fields.external_cart_id ?? current?.external_cart_id ?? null,
      cart_token: fields.cart_token ?? current?.cart_token ?? null,
      ecommerce_customer_id: customerId,
      // A completed checkout is converted at once, so that it is never emailed; the order links itself when it arrives.
      cart_status: completed ? "converted" : "active",
      is_abandoned: false,
      // A checkout completed after abandonment keeps when it was abandoned: analytics counts it among that day's abandoned carts.
      abandoned_at: completed ? (current?.abandoned_at ?? null) : null,
      last_activity_at: activity,
      abandon_after: completed ? null : addHours(activity, settings.abandoned_cart_hours),
      converted_to_order: completed,
      converted_at: completed ? fields.completed_at : null,
      platform_updated_at: input.updated_at ?? current?.platform_updated_at ?? null,
      time_zone: storefront.timezone,
      created_at: current?.created_at ?? input.created_at ?? nowIso,
      updated_at: nowIso,
      version: (current?.version ?? 0) + 1,
    };
    if (completed && cart.recovery_email_sent) cart.cart_status = "recovered";
    if (await writeCart(cart, current?.version)) {
      return current
        ? { status: 200, action: "updated", message: "Cart updated", cart }
        : { status: 201, action: "created", message: "Cart created", cart };
    }
  }
  throw new ConflictError("concurrent_update", "The cart kept changing while this update was applied; retry");
}

export async function readCart(id: number, principal: Principal) {
  const cart = await getCart(id);
  if (!cart) throw new NotFoundError("Cart", id);
  requireStorefrontAccess(principal, cart.storefront_id);
  return cartView(cart);
}

/**
 * Links a cart to the order that completed it, once: converted, or recovered
 * (with the order's total as recovered revenue) when a recovery email went out.
 */
export async function convertCartToOrder(cartId: number, order: { ecommerce_order_id: number; total_minor: number; currency: string }, now = new Date()): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const cart = await getCart(cartId, { consistentRead: true });
    if (!cart) return "no such cart";
    if (cart.ecommerce_order_id !== null) return `linked to order ${cart.ecommerce_order_id} already`;
    const recovered = cart.recovery_email_sent;
    const next: CartRecord = {
      ...cart,
      cart_status: recovered ? "recovered" : "converted",
      is_abandoned: false,
      abandon_after: null,
      converted_to_order: true,
      ecommerce_order_id: order.ecommerce_order_id,
      converted_at: cart.converted_at ?? now.toISOString(),
      recovered_revenue_minor: recovered ? order.total_minor : 0,
      recovered_currency: recovered ? order.currency : null,
      updated_at: now.toISOString(),
      version: cart.version + 1,
    };
    if (await replaceCart(next, cart.version)) return next.cart_status;
  }
  throw new Error(`cart ${cartId} kept changing while it was linked to order ${order.ecommerce_order_id}`);
}
