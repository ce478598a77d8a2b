/**
 * Who may be sent a recovery email: an abandoned cart with an address, whose
 * customer accepts marketing, whose address is not suppressed (unsubscribed,
 * bounced, complained), and with a step of the sequence left. Checked when a
 * campaign picks carts and again just before each send.
 */
import { batchGetItems, keyString } from "../data/batch";
import { suppressionKey } from "../data/carts";
import { customerKey } from "../data/customers";
import type { CartRecord } from "../domain/cart-records";

/** Why a cart is not emailed, or undefined when it may be. */
export type Ineligibility = string | undefined;

/**
 * The customer's own record decides consent when the cart is linked to one
 * (it follows the platform's and the merchant's later changes); otherwise the
 * consent the shopper gave at checkout.
 */
export async function recoveryEligibility(carts: CartRecord[], maxSteps: number): Promise<Map<number, Ineligibility>> {
  const withEmail = carts.filter((cart) => cart.customer_email);
  const customerKeys = withEmail.flatMap((cart) => (cart.ecommerce_customer_id ? [customerKey(cart.ecommerce_customer_id)] : []));
  const suppressionKeys = withEmail.map((cart) => suppressionKey(cart.storefront_id, cart.customer_email!));
  const found = await batchGetItems([...customerKeys, ...suppressionKeys], { consistentRead: true });
  const reasons = new Map<number, Ineligibility>();
  for (const cart of carts) {
    const customer = cart.ecommerce_customer_id ? found.get(keyString(customerKey(cart.ecommerce_customer_id))) : undefined;
    const consent = customer ? customer.accepts_marketing === true : cart.buyer_accepts_marketing === true;
    let reason: Ineligibility;
    if (cart.cart_status !== "abandoned") reason = `the cart is ${cart.cart_status}`;
    else if (!cart.customer_email) reason = "no email address";
    else if (cart.recovery_email_count >= maxSteps) reason = "every recovery email was sent";
    else if (!consent) reason = "the customer does not accept marketing";
    else if (found.has(keyString(suppressionKey(cart.storefront_id, cart.customer_email)))) reason = "the address is suppressed (unsubscribed, bounced or complained)";
    reasons.set(cart.cart_id, reason);
  }
  return reasons;
}
