/**
 * Abandonment and recovery campaigns:
 * - the scheduled sweep marks active carts abandoned once their deadline has
 *   passed (a Query of the sparse index of active carts by deadline, never a
 *   scan) and, on storefronts with the automatic campaign, schedules the next
 *   email of the sequence;
 * - the scheduled campaign queues every email that has come due;
 * - the API queues the next email of chosen carts, or of every eligible cart of a storefront.
 */
import { batchWriteItems } from "../data/batch";
import {
  getCarts,
  queryAbandonedCarts,
  queryDueRecoveries,
  queryOverdueActiveCarts,
  recoveryDueKey,
  replaceCart,
  scheduleRecoveryAction,
  type RecoveryDue,
} from "../data/carts";
import { listEveryStorefront, type StorefrontItem } from "../data/storefronts";
import { addHours, type CartRecord } from "../domain/cart-records";
import { requireStorefrontAccess } from "../domain/catalog-access";
import { findStorefront } from "../domain/storefronts";
import { cartSettingsOf } from "./settings";
import type { Principal } from "../domain/roles";
import type { RecoverCartsInput } from "../schemas/cart";
import { logger } from "../logger";
import { recoveryEligibility } from "./eligibility";
import { queueRecoveryEmails, type RecoveryEmailMessage } from "./recovery-queue";

const PAGE = 100;

/**
 * The due entry of the cart's next email, when the storefront runs the
 * automatic campaign and a step is left: at its delay after abandonment, but
 * never sooner after the previous email than the gap between their delays
 * (a cart abandoned long ago, or a campaign paused for days, does not get its
 * remaining emails in one burst).
 */
export function nextStepDue(storefront: StorefrontItem, cart: CartRecord, abandonedAt: string, previousSentAt?: string): RecoveryDue | undefined {
  const settings = cartSettingsOf(storefront);
  if (!settings.auto_recover_carts) return undefined;
  const step = cart.recovery_email_count + 1;
  const delays = settings.recovery_email_delays_hours;
  const hours = delays[step - 1];
  if (hours === undefined) return undefined;
  let dueAt = addHours(abandonedAt, hours);
  if (previousSentAt && step > 1) {
    const earliest = addHours(previousSentAt, hours - delays[step - 2]!);
    if (earliest > dueAt) dueAt = earliest;
  }
  return { storefront_id: cart.storefront_id, cart_id: cart.cart_id, step, due_at: dueAt, abandoned_at: abandonedAt, template: "default" };
}

/** Marks one storefront's overdue active carts abandoned; returns how many. */
async function sweepStorefront(storefront: StorefrontItem, now: Date): Promise<number> {
  const nowIso = now.toISOString();
  let abandoned = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryOverdueActiveCarts(storefront.storefront_id, nowIso, PAGE, startKey);
    startKey = page.lastKey;
    const results = await Promise.all(
      page.carts.map(async (cart) => {
        if (cart.cart_status !== "active" || !cart.abandon_after || cart.abandon_after > nowIso) return false;
        // Abandoned when the deadline passed, not when the sweep noticed: hours_abandoned and the email delays count from there.
        const abandonedAt = cart.abandon_after;
        const next: CartRecord = {
          ...cart,
          cart_status: "abandoned",
          is_abandoned: true,
          was_abandoned: true,
          abandoned_at: abandonedAt,
          abandon_after: null,
          updated_at: nowIso,
          version: cart.version + 1,
        };
        const due = nextStepDue(storefront, next, abandonedAt);
        // The index is read eventually consistent: a cart written since is left for the next sweep.
        return replaceCart(next, cart.version, due ? [scheduleRecoveryAction(due)] : []);
      }),
    );
    abandoned += results.filter(Boolean).length;
  } while (startKey);
  return abandoned;
}

/** Queues the recovery emails that have come due on one storefront; returns how many. */
async function queueDueEmails(storefront: StorefrontItem, now: Date): Promise<number> {
  let queued = 0;
  for (;;) {
    const due = await queryDueRecoveries(storefront.storefront_id, now.toISOString(), PAGE);
    if (due.length === 0) return queued;
    await queueRecoveryEmails(
      due.map((entry) => ({ storefront_id: entry.storefront_id, cart_id: entry.cart_id, step: entry.step, template: entry.template, abandoned_at: entry.abandoned_at, source: "schedule" })),
    );
    // Queued first, deleted after: a crash in between queues them again, and the sender sends each (cart, step) once.
    await batchWriteItems(due.map((entry) => ({ delete: recoveryDueKey(entry) })));
    queued += due.length;
    if (due.length < PAGE) return queued;
  }
}

/**
 * The scheduled run: abandon overdue carts on every storefront, then queue the
 * emails that are due (steps of the automatic campaign, and emails a daily
 * limit deferred). One storefront's failure does not stop the others; its
 * work is left for the next run.
 */
export async function runCartSchedule(now: Date): Promise<{ abandoned: number; queued: number; failed: number }> {
  let abandoned = 0;
  let queued = 0;
  let failed = 0;
  for (const storefront of await listEveryStorefront()) {
    if (!storefront.is_active) continue;
    try {
      abandoned += await sweepStorefront(storefront, now);
      queued += await queueDueEmails(storefront, now);
    } catch (error) {
      failed += 1;
      logger.error("cart schedule failed for a storefront; the next run picks it up", { storefrontId: storefront.storefront_id, error: error as Error });
    }
  }
  logger.info("cart schedule ran", { abandoned, queued, failed });
  return { abandoned, queued, failed };
}

/** Every abandoned cart of a storefront (the send_all form of a campaign). */
async function everyAbandonedCart(storefrontId: number): Promise<CartRecord[]> {
  const carts: CartRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryAbandonedCarts(storefrontId, { limit: 1000, startKey });
    carts.push(...page.carts);
    startKey = page.lastKey;
  } while (startKey);
  return carts;
}

/**
 * Queues the next email of the carts asked for, after the same checks the
 * sender makes again before sending; answers which carts were skipped and why.
 */
export async function recoverCarts(input: RecoverCartsInput, principal: Principal) {
  const skipped: { cart_id: number; reason: string }[] = [];
  let carts: CartRecord[];
  if ("cart_ids" in input) {
    const found = await getCarts([...new Set(input.cart_ids)]);
    carts = [];
    for (const id of new Set(input.cart_ids)) {
      const cart = found.get(id);
      if (!cart) skipped.push({ cart_id: id, reason: "no such cart" });
      else {
        requireStorefrontAccess(principal, cart.storefront_id);
        carts.push(cart);
      }
    }
  } else {
    await findStorefront(input.storefront_id, principal);
    carts = await everyAbandonedCart(input.storefront_id);
  }
  const storefronts = new Map<number, StorefrontItem>();
  for (const storefrontId of new Set(carts.map((cart) => cart.storefront_id))) storefronts.set(storefrontId, await findStorefront(storefrontId, principal));
  const messages: RecoveryEmailMessage[] = [];
  for (const storefrontId of storefronts.keys()) {
    const group = carts.filter((cart) => cart.storefront_id === storefrontId);
    const maxSteps = cartSettingsOf(storefronts.get(storefrontId)!).recovery_email_delays_hours.length;
    const reasons = await recoveryEligibility(group, maxSteps);
    for (const cart of group) {
      const reason = reasons.get(cart.cart_id);
      if (reason) skipped.push({ cart_id: cart.cart_id, reason });
      else messages.push({ storefront_id: storefrontId, cart_id: cart.cart_id, step: cart.recovery_email_count + 1, template: input.email_template, abandoned_at: cart.abandoned_at!, source: "api" });
    }
  }
  await queueRecoveryEmails(messages);
  return {
    message: messages.length > 0 ? "Recovery emails queued" : "No cart was eligible for a recovery email",
    affected_carts: messages.length + skipped.length,
    emails_sent: messages.length,
    skipped,
  };
}
