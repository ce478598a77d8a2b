/**
 * The recovery-email worker: for each queued (cart, step), checks again that
 * the cart may be emailed, claims the step (never two emails for one cart and
 * step, however often the message arrives or campaigns overlap) within the
 * storefront's daily limit, renders the email and sends it with SES.
 *
 * The claim comes before the send: a crash between the two loses that email
 * rather than sending it twice. A send SES definitely refused (a 4xx answer)
 * gives the claim back and the message is retried; an answer that never came
 * (a timeout, a dropped connection) keeps the claim, since SES may have sent it.
 */
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import {
  cartEmailSentAction,
  claimRecoveryEmail,
  getCart,
  markRecoveryEmailSent,
  releaseRecoveryEmail,
  scheduleRecovery,
  scheduleRecoveryAction,
  type SentEmailRecord,
} from "../data/carts";
import { setTimeout as delay } from "node:timers/promises";
import { getStorefront, type StorefrontItem } from "../data/storefronts";
import { cancellationCodes } from "../data/transactions";
import type { CartRecord } from "../domain/cart-records";
import { formatMinorUnits } from "../domain/money";
import { cartSettingsOf } from "./settings";
import { logger } from "../logger";
import { nextStepDue } from "./campaigns";
import { recoveryEligibility } from "./eligibility";
import { renderRecoveryEmail } from "./recovery-email";
import { isRecoveryTemplate } from "./templates";
import type { RecoveryEmailMessage } from "./recovery-queue";
import { emailSigningKey } from "./signing-key";
import { signUnsubscribeToken } from "./unsubscribe-token";

/** Made once per instance; locally the endpoint comes from AWS_ENDPOINT_URL_SESV2. */
const ses = new SESv2Client({});

const PARALLEL_SENDS = 10;

export const UNSUBSCRIBE_PATH = "api/ecommerce/carts/unsubscribe";

function unsubscribeUrl(token: string): string {
  const base = process.env.PUBLIC_API_URL;
  if (!base) throw new Error("PUBLIC_API_URL is not set: unsubscribe links cannot be made");
  return new URL(`${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`, base.endsWith("/") ? base : `${base}/`).href;
}

/** The storefront's name as the From display name: quoted when ASCII, an RFC 2047 encoded-word otherwise. */
function displayName(name: string): string {
  const flat = name.replace(/[\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(flat) ? JSON.stringify(flat) : `=?UTF-8?B?${Buffer.from(flat, "utf8").toString("base64")}?=`;
}

function senderOf(storefront: StorefrontItem): string {
  const address = cartSettingsOf(storefront).recovery_sender_email ?? process.env.SENDER_EMAIL;
  if (!address) throw new Error("SENDER_EMAIL is not set and the storefront has no recovery_sender_email");
  return `${displayName(storefront.storefront_name)} <${address}>`;
}

/** SES answered and refused (4xx): nothing was sent. */
const definitelyRefused = (error: unknown) => {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
};

const MAX_CONFLICT_TRIES = 6;
const backoff = (attempt: number) => delay(10 * 2 ** attempt * (0.5 + Math.random()));

/** Runs a write that may collide with concurrent transactions on the same items, trying again a few times. */
async function withConflictRetries<T>(write: () => Promise<T>, isConflict: (error: unknown, result?: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const result = await write();
      if (!isConflict(undefined, result) || attempt + 1 >= MAX_CONFLICT_TRIES) return result;
    } catch (error) {
      if (!isConflict(error) || attempt + 1 >= MAX_CONFLICT_TRIES) throw error;
    }
    await backoff(attempt);
  }
}

const isTransactionConflict = (error: unknown) => cancellationCodes(error)?.includes("TransactionConflict") === true;

const nextUtcMidnight = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();

function isMessage(value: unknown): value is RecoveryEmailMessage {
  const message = value as RecoveryEmailMessage;
  return (
    typeof message === "object" &&
    message !== null &&
    Number.isInteger(message.cart_id) &&
    Number.isInteger(message.step) &&
    message.step >= 1 &&
    message.step <= 3 &&
    typeof message.template === "string" &&
    typeof message.abandoned_at === "string"
  );
}

async function sendEmail(storefront: StorefrontItem, cart: CartRecord, message: RecoveryEmailMessage, key: Buffer): Promise<string> {
  const money = (minor: number) => formatMinorUnits(minor, cart.currency);
  const rendered = renderRecoveryEmail({
    template: isRecoveryTemplate(message.template) ? message.template : "default",
    step: message.step as 1 | 2 | 3,
    storefrontName: storefront.storefront_name,
    language: storefront.default_language,
    customerName: cart.customer_first_name,
    currency: cart.currency,
    items: cart.cart_items.map((item) => ({ product_name: item.product_name, variant_name: item.variant_name, quantity: item.quantity, unit_price: money(item.unit_price_minor), total_amount: money(item.total_minor) })),
    subtotal: money(cart.subtotal_minor),
    discount: money(cart.discount_minor),
    shipping: money(cart.shipping_minor),
    tax: money(cart.tax_minor),
    total: money(cart.total_minor),
    checkoutUrl: cart.checkout_url,
    unsubscribeUrl: unsubscribeUrl(signUnsubscribeToken(key, { storefront_id: cart.storefront_id, email: cart.customer_email! })),
  });
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: senderOf(storefront),
      Destination: { ToAddresses: [cart.customer_email!] },
      Content: {
        Simple: {
          Subject: { Data: rendered.subject, Charset: "UTF-8" },
          Body: { Html: { Data: rendered.html, Charset: "UTF-8" }, Text: { Data: rendered.text, Charset: "UTF-8" } },
          Headers: rendered.headers.map(({ name, value }) => ({ Name: name, Value: value })),
        },
      },
      ConfigurationSetName: process.env.EMAIL_CONFIGURATION_SET || undefined,
      // Bounce and complaint events carry these tags back: they name the storefront whose suppression list the address joins.
      EmailTags: [
        { Name: "storefront_id", Value: String(cart.storefront_id) },
        { Name: "cart_id", Value: String(cart.cart_id) },
        { Name: "step", Value: String(message.step) },
      ],
    }),
  );
  return out.MessageId ?? "";
}

/** Handles one message; returns what happened, for the log. Throws to have the message retried. */
export async function sendRecoveryEmail(message: RecoveryEmailMessage, now = new Date()): Promise<string> {
  const [cart, storefront] = await Promise.all([getCart(message.cart_id, { consistentRead: true }), getStorefront(message.storefront_id)]);
  if (!cart || !storefront || cart.storefront_id !== storefront.storefront_id) return "skipped: no such cart";
  if (cart.recovery_email_count >= message.step) return `skipped: step ${message.step} was sent already`;
  if (cart.recovery_email_count + 1 !== message.step) return `skipped: step ${message.step} is not the cart's next step`;
  if (cart.abandoned_at !== message.abandoned_at) return "skipped: the cart was active again since this email was planned";
  const settings = cartSettingsOf(storefront);
  const reason = (await recoveryEligibility([cart], settings.recovery_email_delays_hours.length)).get(cart.cart_id);
  if (reason) return `skipped: ${reason}`;
  const day = now.toISOString().slice(0, 10);
  const claim: SentEmailRecord = {
    cart_id: cart.cart_id,
    storefront_id: cart.storefront_id,
    step: message.step,
    template: message.template,
    recipient: cart.customer_email!,
    status: "sending",
    ses_message_id: null,
    claimed_at: now.toISOString(),
    sent_at: null,
  };
  const claimed = await withConflictRetries(() => claimRecoveryEmail(claim, day, settings.recovery_daily_send_limit), (_error, result) => result === "conflict");
  if (claimed === "conflict") throw new Error("the daily send counter kept colliding with other sends; the message will be retried");
  if (claimed === "taken") return `skipped: step ${message.step} was claimed already`;
  if (claimed === "limit") {
    // The next run after midnight (UTC) queues it again, with its template.
    await scheduleRecovery({ storefront_id: cart.storefront_id, cart_id: cart.cart_id, step: message.step, due_at: nextUtcMidnight(now), abandoned_at: message.abandoned_at, template: message.template });
    return "deferred: the storefront's daily recovery-email limit is reached";
  }
  const key = await emailSigningKey({ create: true }).catch(async (error: unknown) => {
    await releaseRecoveryEmail(claim, day);
    throw error;
  });
  let messageId: string;
  try {
    messageId = await sendEmail(storefront, cart, message, key!);
  } catch (error) {
    if (definitelyRefused(error)) await releaseRecoveryEmail(claim, day);
    throw error;
  }
  // Recorded with the next step's schedule in one transaction, retried on collisions with other writers of the cart.
  const sentAt = new Date().toISOString();
  const due = nextStepDue(storefront, { ...cart, recovery_email_count: message.step }, cart.abandoned_at!, sentAt);
  await withConflictRetries(
    () => markRecoveryEmailSent(claim, messageId, sentAt, cartEmailSentAction(cart.cart_id, message.step, sentAt), due ? [scheduleRecoveryAction(due)] : []),
    isTransactionConflict,
  );
  return `sent step ${message.step}`;
}

export async function processRecoveryMessages(records: SQSRecord[]): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < records.length) {
      const record = records[next++]!;
      let message: unknown;
      try {
        message = JSON.parse(record.body);
      } catch {
        message = undefined;
      }
      if (!isMessage(message)) {
        logger.error("dropping an unreadable recovery-email message", { messageId: record.messageId });
        continue;
      }
      try {
        const outcome = await sendRecoveryEmail(message);
        logger.info("recovery email", { cartId: message.cart_id, step: message.step, outcome });
      } catch (error) {
        // Only the error's kind: SES messages can quote the recipient's address.
        const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        logger.error("cannot send a recovery email; the message will be retried", { cartId: message.cart_id, step: message.step, errorName: name, status: $metadata?.httpStatusCode });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, records.length) }, lane));
  return { batchItemFailures: failures };
}
