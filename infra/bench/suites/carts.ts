/**
 * The `carts` suite: a recovery campaign over 10,000 abandoned carts, of
 * which 10% may not be emailed (5% without marketing consent, 5% on the
 * storefront's suppression list).
 *
 * The carts are written straight to the table in batches (the API is not
 * what is measured), and the stream processors are left to settle. Then the
 * clock starts: POST /api/ecommerce/carts/abandoned/recover with send_all,
 * which checks every cart and queues one message per eligible cart; the
 * recovery-email worker sends each through the SES emulator. Measured: the
 * API call's time, the time until the last email is in the emulator's store,
 * emails per second; and a check that exactly the eligible carts got exactly
 * one email each and no ineligible address got any.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { functions, queues } from "../../wiring";
import type { LocalStack } from "../../local/stack";
import { adminApi, createStorefront, verdict, withStack, withEmulators } from "../harness";
import type { Suite, SuiteContext, SuiteReport } from "../suite";

const CARTS = 10_000;
const WITHOUT_CONSENT_EVERY = 20; // 5%
const SUPPRESSED_EVERY = 20; // another 5%
const WAIT_LIMIT_MS = 15 * 60_000;

export const cartsSuite: Suite = {
  name: "carts",
  description: "A recovery campaign over 10,000 abandoned carts (10% not to be emailed): time until every email is sent, and exactly the right ones",
  run,
};

interface StoredEmail {
  destination: { to: string[] };
}

async function sentEmails(sesEndpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesEndpoint}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

async function seedCarts(storefrontId: number, run: string) {
  const { cartItem, suppressionKey } = await import("../../../shared/data/carts");
  const { batchWriteItems } = await import("../../../shared/data/batch");
  const { reserveIds } = await import("../../../shared/data/orders");
  const firstId = await reserveIds("cart", CARTS);
  const abandonedAt = new Date(Date.now() - 30 * 3_600_000).toISOString();
  const eligible = new Set<string>();
  const ineligible = new Set<string>();
  const writes: { put: Record<string, unknown> }[] = [];
  for (let index = 0; index < CARTS; index += 1) {
    const email = `shopper-${run}-${index}@example.com`;
    const withoutConsent = index % WITHOUT_CONSENT_EVERY === 0;
    const suppressed = index % SUPPRESSED_EVERY === 1;
    (withoutConsent || suppressed ? ineligible : eligible).add(email);
    if (suppressed) writes.push({ put: { ...suppressionKey(storefrontId, email), entity: "email_suppression", storefront_id: storefrontId, email, reason: "unsubscribed", suppressed_at: abandonedAt } });
    writes.push({
      put: cartItem({
        cart_id: firstId + index,
        storefront_id: storefrontId,
        external_cart_id: `bench-${run}-${index}`,
        cart_token: null,
        ecommerce_customer_id: null,
        external_customer_id: null,
        customer_email: email,
        customer_first_name: "Sam",
        buyer_accepts_marketing: !withoutConsent,
        cart_items: [
          { external_product_id: "1", external_variant_id: null, sku: "LAP-001", product_name: 'Professional Laptop 15"', variant_name: null, quantity: 1, unit_price_minor: 129_999, total_minor: 129_999, image_url: null },
          { external_product_id: "3", external_variant_id: null, sku: "CHAIR-001", product_name: "Ergonomic Office Chair", variant_name: "Black", quantity: 2, unit_price_minor: 29_999, total_minor: 59_998, image_url: null },
        ],
        item_count: 3,
        subtotal_minor: 189_997,
        discount_minor: 0,
        shipping_minor: 1_599,
        tax_minor: 0,
        total_minor: 191_596,
        currency: "USD",
        cart_status: "abandoned",
        is_abandoned: true,
        was_abandoned: true,
        abandoned_at: abandonedAt,
        last_activity_at: abandonedAt,
        abandon_after: null,
        recovery_email_sent: false,
        recovery_email_sent_at: null,
        recovery_email_count: 0,
        checkout_url: `https://shop.example.com/checkouts/${index}/recover`,
        converted_to_order: false,
        ecommerce_order_id: null,
        converted_at: null,
        recovered_revenue_minor: 0,
        recovered_currency: null,
        completed_at: null,
        utm_source: null,
        utm_medium: null,
        utm_campaign: null,
        browser_info: null,
        platform_updated_at: null,
        time_zone: "UTC",
        created_at: abandonedAt,
        updated_at: abandonedAt,
        version: 1,
      }),
    });
  }
  await batchWriteItems(writes);
  return { eligible, ineligible };
}

async function measureCampaign(stack: LocalStack, sesEndpoint: string, log: (message: string) => void) {
  const api = await adminApi(stack);
  const run = randomUUID().slice(0, 6);
  const storefrontId = await createStorefront(api, `CARTS-${run}`, { recovery_daily_send_limit: 1_000_000 });
  log(`writing ${CARTS} abandoned carts`);
  const { eligible, ineligible } = await seedCarts(storefrontId, run);
  await stack.drain(600_000);
  await fetch(`${sesEndpoint}/clear-store`, { method: "POST" });

  log("campaign: send_all");
  const started = performance.now();
  const response = await api.call("POST", "/api/ecommerce/carts/abandoned/recover", { storefront_id: storefrontId, send_all: true, email_template: "recovery_v1" });
  const apiMs = performance.now() - started;
  if (response.status !== 202) throw new Error(`The campaign answered ${response.status}: ${JSON.stringify(response.body)}`);
  let emails: StoredEmail[] = [];
  let lastCount = -1;
  while (performance.now() - started < WAIT_LIMIT_MS) {
    emails = await sentEmails(sesEndpoint);
    if (emails.length !== lastCount) log(`${emails.length} emails sent`);
    lastCount = emails.length;
    if (emails.length >= eligible.size) break;
    await delay(1_000);
  }
  const lastEmailMs = performance.now() - started;
  // Anything still queued would show up as extra emails: settle, then count again.
  await stack.drain(120_000);
  emails = await sentEmails(sesEndpoint);
  const recipients = emails.map((email) => email.destination.to[0]!);
  const distinct = new Set(recipients);
  const duplicates = recipients.length - distinct.size;
  const toIneligible = recipients.filter((to) => ineligible.has(to)).length;
  const missing = [...eligible].filter((to) => !distinct.has(to)).length;
  return {
    carts: CARTS,
    eligible: eligible.size,
    queued: Number(response.body.emails_sent),
    skipped: Number(response.body.skipped?.length ?? 0),
    apiMs,
    lastEmailMs,
    sent: emails.length,
    duplicates,
    toIneligible,
    missing,
    emailsPerSecond: emails.length / (lastEmailMs / 1000),
  };
}

async function run(context: SuiteContext): Promise<SuiteReport> {
  // One log line per email would drown the report.
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  return withEmulators(context.workDir, async (base) => {
    const figures = await withStack(base, "carts-campaign", { functions, queues }, (stack) => measureCampaign(stack, base.endpoints.ses, context.log));
    const exact = figures.sent === figures.eligible && figures.duplicates === 0 && figures.toIneligible === 0 && figures.missing === 0 && figures.queued === figures.eligible;
    return {
      tables: [
        {
          title: `Recovery campaign over ${figures.carts} abandoned carts (send_all)`,
          columns: [{ header: "measure" }, { header: "value", align: "right" }],
          rows: [
            ["eligible carts", String(figures.eligible)],
            ["queued by the API / skipped", `${figures.queued} / ${figures.skipped}`],
            ["API call (checks and queues every cart)", `${(figures.apiMs / 1000).toFixed(1)} s`],
            ["until the last email is in the SES emulator", `${(figures.lastEmailMs / 1000).toFixed(1)} s`],
            ["emails per second", figures.emailsPerSecond.toFixed(0)],
            ["emails sent", String(figures.sent)],
            ["duplicates / to ineligible addresses / eligible missed", `${figures.duplicates} / ${figures.toIneligible} / ${figures.missing}`],
            ["exactly the right emails", verdict(exact)],
          ],
        },
      ],
      summary: [
        `${figures.sent} emails in ${(figures.lastEmailMs / 1000).toFixed(1)} s (${figures.emailsPerSecond.toFixed(0)}/s); ${exact ? "exactly one to each eligible cart, none to the 10% ineligible" : "NOT exact"}`,
      ],
      notes: [
        "Carts are written with BatchWriteItem; the clock starts at the API call. The local stack runs the API, the stream processors and the worker in one process.",
        "The worker claims each (cart, step) and counts it against the daily limit in one transaction before sending, then records the send: 3 writes per email.",
      ],
      failures: exact ? 0 : 1,
      figures,
    };
  });
}
