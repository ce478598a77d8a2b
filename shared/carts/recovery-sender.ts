/**
 * The recovery-email worker: for each queued (cart, step), checks again that
 * the cart may be emailed, claims the step (never two emails for one cart and
 * step, however often the message arrives or campaigns overlap) within the
 * storefront's daily limit, renders the email and sends it with SES.
 *
 * The claim comes before the send: a crash between the two loses that email
 * rather than sending it twice. A send SES refuses gives the claim back and
 * the message is retried.
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
  type SentEmailRecord,
} from "../data/carts";
import { getStorefront, type StorefrontItem } from "../data/storefronts";
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

function senderOf(storefront: StorefrontItem): string {
  const address = cartSettingsOf(storefront).recovery_sender_email ?? process.env.SENDER_EMAIL;
  if (!address) throw new Error("SENDER_EMAIL is not set and the storefront has no recovery_sender_email");
  return `${JSON.stringify(storefront.storefront_name)} <${address}>`;
}

const nextUtcMidnight = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();

function isMessage(value: unknown): value is RecoveryEmailMessage {
  const message = value as RecoveryEmailMessage;
  return typeof message === "object" && message !== null && Number.isInteger(message.cart_id) && Number.isInteger(message.step) && message.step >= 1 && message.step <= 3 && typeof message.template === "string";
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
  const claimed = await claimRecoveryEmail(claim, day, settings.recovery_daily_send_limit);
  if (claimed === "taken") return `skipped: step ${message.step} was claimed already`;
  if (claimed === "limit") {
    // Tomorrow's first run picks it up again.
    await scheduleRecovery({ storefront_id: cart.storefront_id, cart_id: cart.cart_id, step: message.step, due_at: nextUtcMidnight(now) });
    return "deferred: the storefront's daily recovery-email limit is reached";
  }
  let messageId: string;
  try {
    messageId = await sendEmail(storefront, cart, message, (await emailSigningKey({ create: true }))!);
  } catch (error) {
    await releaseRecoveryEmail(claim, day);
    throw error;
  }
  const sentAt = new Date().toISOString();
  await markRecoveryEmailSent(claim, messageId, sentAt, cartEmailSentAction(cart.cart_id, message.step, sentAt));
  const due = nextStepDue(storefront, { ...cart, recovery_email_count: message.step }, cart.abandoned_at!);
  if (due) await scheduleRecovery(due);
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
        logger.error("cannot send a recovery email; the message will be retried", { cartId: message.cart_id, step: message.step, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, records.length) }, lane));
  return { batchItemFailures: failures };
}
