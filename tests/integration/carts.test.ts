/**
 * Carts, abandonment and recovery emails on the local stack: the API, the
 * scheduled sweep and campaign (with a clock the test moves), the SQS worker
 * sending through the SES emulator, whose store the test reads back.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { orderInput } from "../support/order-factories";
import { sampleDelivery, shopifyHeaders } from "../support/webhooks";

const HOUR = 3_600_000;
let hub: TestStack;
let clock = new Date();

interface SentEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

async function emailsTo(address: string): Promise<SentEmail[]> {
  const response = await fetch(`${inject("endpoints").ses}/store`);
  const { emails } = (await response.json()) as { emails: SentEmail[] };
  return emails.filter((email) => email.destination.to.some((to) => to.includes(address)));
}

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

function cartInput(storefrontId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    storefront_id: storefrontId,
    external_cart_id: `chk_${randomUUID().slice(0, 10)}`,
    customer_email: unique("shopper"),
    customer_first_name: "Ada",
    buyer_accepts_marketing: true,
    currency: "USD",
    cart_items: [
      { product_name: "Professional Laptop 15\"", sku: "LAP-001", quantity: 1, unit_price: "1299.99" },
      { product_name: "Ergonomic Office Chair", variant_name: "Black", sku: "CHAIR-001", quantity: 2, unit_price: "299.99" },
    ],
    shipping_amount: "15.99",
    checkout_url: "https://shop.example.com/checkouts/abc/recover?key=k1",
    ...overrides,
  };
}

async function upsert(body: Record<string, unknown>) {
  const response = await hub.call("POST", "/api/ecommerce/carts", { json: body, key: hub.keys.operator });
  expect([200, 201], response.text).toContain(response.status);
  return response.body;
}

/** A cart whose last activity was `hoursAgo` before the clock. */
const idleCart = (storefrontId: number, hoursAgo: number, overrides: Record<string, unknown> = {}) =>
  upsert(cartInput(storefrontId, { updated_at: new Date(clock.getTime() - hoursAgo * HOUR).toISOString(), ...overrides }));

async function runSchedule() {
  await hub.scheduler.fire("cart-schedule");
  await hub.drain();
}

const getCart = async (id: number) => (await hub.call("GET", `/api/ecommerce/carts/${id}`)).body.cart;

beforeAll(async () => {
  hub = await startTestStack({ clock: () => clock });
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

describe("POST /api/ecommerce/carts", () => {
  it("creates, updates by token, ignores replays and older updates, and computes amounts exactly", async () => {
    const storefront = await hub.createStorefront();
    const cartToken = `tok_${randomUUID().slice(0, 8)}`;
    const body = cartInput(storefront.storefront_id, { cart_token: cartToken, updated_at: "2026-11-20T10:00:00Z" });
    const created = await upsert(body);
    expect(created.action).toBe("created");
    expect(created.cart).toMatchObject({
      cart_status: "active",
      item_count: 3,
      subtotal_amount: "1899.97",
      shipping_amount: "15.99",
      total_amount: "1915.96",
      currency: "USD",
      last_activity_at: "2026-11-20T10:00:00.000Z",
      recovery_email_count: 0,
    });
    expect(created.cart.cart_items[1]).toMatchObject({ product_name: "Ergonomic Office Chair", quantity: 2, unit_price: "299.99", total_amount: "599.98" });

    const replay = await upsert(body);
    expect(replay.action).toBe("unchanged");
    const stale = await upsert({ ...body, updated_at: "2026-11-20T09:00:00Z", cart_items: [] });
    expect(stale.action).toBe("stale");
    expect(stale.cart.item_count).toBe(3);

    // Found by its cart token alone.
    const updated = await upsert({ storefront_id: storefront.storefront_id, cart_token: cartToken, cart_items: [{ product_name: "Desk", quantity: 1, unit_price: 599.99 }], updated_at: "2026-11-20T11:00:00Z" });
    expect(updated).toMatchObject({ action: "updated", cart: { cart_id: created.cart.cart_id, external_cart_id: body.external_cart_id, total_amount: "599.99" } });
    expect((await getCart(created.cart.cart_id)).total_amount).toBe("599.99");
  });

  it("refuses bad input with the field named and writes nothing", async () => {
    const storefront = await hub.createStorefront();
    const noKey = await hub.call("POST", "/api/ecommerce/carts", { json: { storefront_id: storefront.storefront_id, cart_items: [] } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.details).toContainEqual(expect.objectContaining({ field: "body.external_cart_id" }));
    const tooPrecise = await hub.call("POST", "/api/ecommerce/carts", { json: cartInput(storefront.storefront_id, { currency: "JPY", cart_items: [{ product_name: "Tea", quantity: 1, unit_price: "10.5" }] }) });
    expect(tooPrecise.status).toBe(400);
    expect(tooPrecise.body.error.details).toContainEqual(expect.objectContaining({ field: "body.cart_items.0.unit_price" }));
    const viewer = await hub.call("POST", "/api/ecommerce/carts", { json: cartInput(storefront.storefront_id), key: hub.keys.viewer });
    expect(viewer.status).toBe(403);
    const list = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${storefront.storefront_id}`);
    expect(list.body.carts).toEqual([]);
  });
});

describe("abandonment and the abandoned-cart list", () => {
  it("abandons carts idle past the storefront's threshold, lists them with filters and statistics", async () => {
    const storefront = await hub.createStorefront({ abandoned_cart_hours: 2 });
    const sid = storefront.storefront_id;
    const old = await idleCart(sid, 50);
    const recent = await idleCart(sid, 3, { cart_items: [{ product_name: "Mouse", quantity: 1, unit_price: "25.00" }] });
    const active = await idleCart(sid, 1);
    await runSchedule();

    expect((await getCart(active.cart.cart_id)).cart_status).toBe("active");
    const abandoned = await getCart(old.cart.cart_id);
    expect(abandoned).toMatchObject({ cart_status: "abandoned", is_abandoned: true, abandoned_at: new Date(clock.getTime() - 48 * HOUR).toISOString() });

    const list = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${sid}`, { key: hub.keys.viewer });
    expect(list.status).toBe(200);
    expect(list.body.carts.map((cart: { cart_id: number }) => cart.cart_id)).toEqual([recent.cart.cart_id, old.cart.cart_id]);
    const [first, second] = list.body.carts;
    expect(first).toMatchObject({ hours_abandoned: expect.closeTo(1, 0), days_abandoned: 0, recovery_email_sent: false });
    expect(second).toMatchObject({ days_abandoned: 2, total_amount: "1915.96" });
    expect(second.hours_abandoned).toBeGreaterThanOrEqual(48);
    expect(list.body.statistics).toMatchObject({
      total_abandoned_carts: 2,
      currently_abandoned_carts: 2,
      potential_revenue: "1956.95",
      average_cart_value: "978.48",
      recovery_emails_sent: 0,
      recovered_carts: 0,
      recovered_revenue: "0.00",
      currency: "USD",
    });
    const expensive = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${sid}&min_value=50`);
    expect(expensive.body.carts.map((cart: { cart_id: number }) => cart.cart_id)).toEqual([old.cart.cart_id]);
    const lastDay = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${sid}&days_abandoned=1`);
    expect(lastDay.body.carts.map((cart: { cart_id: number }) => cart.cart_id)).toEqual([recent.cart.cart_id]);
    const bad = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${sid}&min_value=lots`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe("query.min_value");

    // Activity brings an abandoned cart back.
    const back = await upsert({ ...cartInput(sid), external_cart_id: recent.cart.external_cart_id, customer_email: recent.cart.customer_email });
    expect(back.cart).toMatchObject({ cart_status: "active", is_abandoned: false, abandoned_at: null });
    await hub.drain();
    const after = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${sid}`);
    expect(after.body.statistics).toMatchObject({ total_abandoned_carts: 2, currently_abandoned_carts: 1, potential_revenue: "1915.96" });
  });
});

describe("recovery emails", () => {
  it("sends the next email of chosen carts with content and unsubscribe headers, once per step, and skips carts it may not email", async () => {
    const storefront = await hub.createStorefront({ storefront_name: "Ocean <Demo> Store" });
    const sid = storefront.storefront_id;
    const consenting = await idleCart(sid, 30);
    const noConsent = await idleCart(sid, 30, { buyer_accepts_marketing: false });
    const noEmail = await idleCart(sid, 30, { customer_email: null });
    const stillActive = await idleCart(sid, 1);
    await runSchedule();

    const response = await hub.call("POST", "/api/ecommerce/carts/abandoned/recover", {
      key: hub.keys.operator,
      json: { cart_ids: [consenting.cart.cart_id, noConsent.cart.cart_id, noEmail.cart.cart_id, stillActive.cart.cart_id, 999999], email_template: "abandoned_cart_template_1" },
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ affected_carts: 5, emails_sent: 1 });
    expect(response.body.skipped).toEqual(
      expect.arrayContaining([
        { cart_id: 999999, reason: "no such cart" },
        { cart_id: noConsent.cart.cart_id, reason: "the customer does not accept marketing" },
        { cart_id: noEmail.cart.cart_id, reason: "no email address" },
        { cart_id: stillActive.cart.cart_id, reason: "the cart is active" },
      ]),
    );
    await hub.drain();

    const [email, ...more] = await emailsTo(consenting.cart.customer_email);
    expect(more).toHaveLength(0);
    expect(email!.from).toContain("no-reply@example.com");
    expect(email!.body.html).toContain("Professional Laptop 15&quot;");
    expect(email!.body.html).toContain("Ocean &lt;Demo&gt; Store");
    expect(email!.body.html).toContain('href="https://shop.example.com/checkouts/abc/recover?key=k1"');
    expect(email!.body.text).toContain("$1,915.96");
    const headers = Object.fromEntries((email!.headers ?? []).map((header) => [header.name, header.value]));
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(headers["List-Unsubscribe"]).toMatch(new RegExp(`^<${hub.url}/api/ecommerce/carts/unsubscribe\\?token=[^>]+>$`));
    expect(await emailsTo(noConsent.cart.customer_email)).toHaveLength(0);
    expect(await getCart(consenting.cart.cart_id)).toMatchObject({ recovery_email_sent: true, recovery_email_count: 1, recovery_email_sent_at: expect.any(String) });

    // The same message delivered twice (and a second campaign asking for step 2 twice) sends step 2 once.
    const sqs = new SQSClient({ endpoint: inject("endpoints").sqs });
    const queueUrl = hub.queues.get("recovery-emails")!.url;
    const message = JSON.stringify({ storefront_id: sid, cart_id: consenting.cart.cart_id, step: 2, template: "default", source: "api" });
    await Promise.all([1, 2, 3].map(() => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message }))));
    await hub.call("POST", "/api/ecommerce/carts/abandoned/recover", { key: hub.keys.operator, json: { cart_ids: [consenting.cart.cart_id] } });
    await hub.drain();
    const emails = await emailsTo(consenting.cart.customer_email);
    expect(emails).toHaveLength(2);
    expect((await getCart(consenting.cart.cart_id)).recovery_email_count).toBe(2);

    const stats = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${sid}&recovery_sent=true`);
    expect(stats.body.carts.map((cart: { cart_id: number }) => cart.cart_id)).toEqual([consenting.cart.cart_id]);
    expect(stats.body.statistics).toMatchObject({ recovery_emails_sent: 1, total_recovery_emails: 2 });
  });

  it("unsubscribes with the link (GET and one-click POST, no API key) and never emails a suppressed address again", async () => {
    const storefront = await hub.createStorefront({ storefront_name: "Café Müller" });
    const sid = storefront.storefront_id;
    const cart = await idleCart(sid, 30);
    await runSchedule();
    await hub.call("POST", "/api/ecommerce/carts/abandoned/recover", { key: hub.keys.operator, json: { storefront_id: sid, send_all: true, email_template: "recovery_v1" } });
    await hub.drain();
    const [email] = await emailsTo(cart.cart.customer_email);
    // A name that is not ASCII goes in the From header as an RFC 2047 encoded-word.
    expect(email!.from).toBe(`=?UTF-8?B?${Buffer.from("Café Müller").toString("base64")}?= <no-reply@example.com>`);
    const link = /<([^>]+)>/.exec(email!.headers!.find((header) => header.name === "List-Unsubscribe")!.value)![1]!;

    const tampered = await fetch(link.replace(/token=./, "token=x"), { method: "GET" });
    expect(tampered.status).toBe(400);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain(cart.cart.customer_email);
    const oneClick = await fetch(link, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);

    const again = await hub.call("POST", "/api/ecommerce/carts/abandoned/recover", { key: hub.keys.operator, json: { storefront_id: sid, send_all: true } });
    expect(again.body).toMatchObject({ emails_sent: 0, skipped: [{ cart_id: cart.cart.cart_id, reason: "the address is suppressed (unsubscribed, bounced or complained)" }] });
  });

  it("suppresses addresses that bounce or complain, from SES events delivered through SNS", async () => {
    const storefront = await hub.createStorefront();
    const sid = storefront.storefront_id;
    const bouncing = await idleCart(sid, 30);
    const complaining = await idleCart(sid, 30);
    await runSchedule();
    const sqs = new SQSClient({ endpoint: inject("endpoints").sqs });
    const queueUrl = hub.queues.get("email-events")!.url;
    for (const [file, address] of [["ses-bounce-sqs.json", bouncing.cart.customer_email], ["ses-complaint-sqs.json", complaining.cart.customer_email]] as const) {
      const sample = JSON.parse(readFileSync(`events/aws/${file}`, "utf8")) as { Records: { body: string }[] };
      const envelope = JSON.parse(sample.Records[0]!.body) as { Message: string };
      const event = JSON.parse(envelope.Message);
      const recipients = event.bounce?.bouncedRecipients ?? event.complaint.complainedRecipients;
      recipients.splice(0, recipients.length, { ...recipients[0], emailAddress: address });
      event.mail.tags.storefront_id = [String(sid)];
      const body = JSON.stringify({ ...envelope, Message: JSON.stringify(event) });
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    }
    await hub.drain();
    const response = await hub.call("POST", "/api/ecommerce/carts/abandoned/recover", { key: hub.keys.operator, json: { storefront_id: sid, send_all: true } });
    expect(response.body.emails_sent).toBe(0);
    expect(response.body.skipped.map((skip: { reason: string }) => skip.reason)).toEqual([
      "the address is suppressed (unsubscribed, bounced or complained)",
      "the address is suppressed (unsubscribed, bounced or complained)",
    ]);
  });

  it("keeps to the storefront's daily limit and sends the rest the next day", async () => {
    const storefront = await hub.createStorefront({ recovery_daily_send_limit: 1 });
    const sid = storefront.storefront_id;
    const carts = [await idleCart(sid, 30), await idleCart(sid, 30)];
    await runSchedule();
    await hub.call("POST", "/api/ecommerce/carts/abandoned/recover", { key: hub.keys.operator, json: { storefront_id: sid, send_all: true } });
    await hub.drain();
    const sent = await Promise.all(carts.map(async (cart) => (await emailsTo(cart.cart.customer_email)).length));
    expect(sent.sort()).toEqual([0, 1]);

    // The deferred email is queued again by the first run after midnight (UTC), though this storefront runs no automatic campaign.
    await hub.call("PUT", `/api/ecommerce/storefronts/${sid}`, { json: { recovery_daily_send_limit: 5 } });
    const midnight = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate() + 1, 0, 5));
    const today = clock;
    try {
      clock = midnight;
      await runSchedule();
    } finally {
      clock = today;
    }
    const after = await Promise.all(carts.map(async (cart) => (await emailsTo(cart.cart.customer_email)).length));
    expect(after).toEqual([1, 1]);
  });
});

describe("the automatic campaign", () => {
  it("sends up to three emails at the storefront's delays, stops when the cart converts, and counts recovered revenue", async () => {
    const storefront = await hub.createStorefront({ auto_recover_carts: true, abandoned_cart_hours: 24, recovery_email_delays_hours: [1, 24, 72] });
    const sid = storefront.storefront_id;
    const start = new Date(clock);
    const converting = await idleCart(sid, 24, { cart_token: `tok_${randomUUID().slice(0, 8)}` });
    const ignoring = await idleCart(sid, 24);
    const at = async (hoursAfterAbandonment: number) => {
      clock = new Date(start.getTime() + hoursAfterAbandonment * HOUR);
      await runSchedule();
    };
    const count = async (cart: { cart: { customer_email: string } }) => (await emailsTo(cart.cart.customer_email)).length;
    try {
      await at(0.5);
      expect((await getCart(converting.cart.cart_id)).cart_status).toBe("abandoned");
      expect([await count(converting), await count(ignoring)]).toEqual([0, 0]);
      await at(1.1);
      expect([await count(converting), await count(ignoring)]).toEqual([1, 1]);
      await at(2);
      expect([await count(converting), await count(ignoring)]).toEqual([1, 1]);
      await at(24.5);
      expect([await count(converting), await count(ignoring)]).toEqual([2, 2]);

      // The shopper comes back through the email and orders: the order names the checkout.
      const order = await hub.call("POST", "/api/ecommerce/orders", { key: hub.keys.operator, json: orderInput(sid, { checkout_token: converting.cart.external_cart_id }) });
      expect(order.status, order.text).toBe(201);
      await hub.drain();
      expect(await getCart(converting.cart.cart_id)).toMatchObject({ cart_status: "recovered", converted_to_order: true, ecommerce_order_id: order.body.order.ecommerce_order_id });

      await at(73);
      await at(200);
      expect([await count(converting), await count(ignoring)]).toEqual([2, 3]);
      const list = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${sid}`);
      expect(list.body.carts.map((cart: { cart_id: number }) => cart.cart_id)).toEqual([ignoring.cart.cart_id]);
      expect(list.body.statistics).toMatchObject({
        total_abandoned_carts: 2,
        currently_abandoned_carts: 1,
        recovered_carts: 1,
        recovered_revenue: order.body.order.total_amount,
        recovery_rate: "50.00",
        total_recovery_emails: 5,
      });
    } finally {
      clock = new Date();
    }
  });

  it("spaces the emails of a cart abandoned long ago by the gaps between the delays, instead of sending them in one burst", async () => {
    const storefront = await hub.createStorefront({ auto_recover_carts: true, abandoned_cart_hours: 24 });
    const cart = await idleCart(storefront.storefront_id, 24 * 10);
    const start = new Date(clock);
    const count = async () => (await emailsTo(cart.cart.customer_email)).length;
    try {
      await runSchedule();
      expect(await count()).toBe(1);
      for (const hours of [0.1, 0.2, 22]) {
        clock = new Date(start.getTime() + hours * HOUR);
        await runSchedule();
        expect(await count(), `at +${hours} h`).toBe(1);
      }
      clock = new Date(start.getTime() + 23.1 * HOUR);
      await runSchedule();
      expect(await count()).toBe(2);
    } finally {
      clock = new Date();
    }
  });

  it("keeps Shopify checkouts as carts and converts them when the order arrives", async () => {
    const secret = `whsec_${randomUUID()}`;
    const storefront = await hub.createStorefront({ webhook_secret: secret });
    const checkout = sampleDelivery("shopify", "checkouts-create");
    const sent = await hub.call("POST", `/api/ecommerce/webhooks/shopify/${storefront.storefront_code}`, { key: null, body: checkout.body, headers: shopifyHeaders(checkout.body, secret, { ...checkout.headers, "content-type": "application/json" }) });
    expect(sent.status, sent.text).toBe(202);
    await hub.drain();
    const deliveries = await hub.call("GET", `/api/ecommerce/webhooks/deliveries?storefront_id=${storefront.storefront_id}`);
    const cartId = Number(/cart (\d+) created/.exec(deliveries.body.deliveries[0].outcome)?.[1]);
    expect(await getCart(cartId)).toMatchObject({
      external_cart_id: "123123123",
      cart_token: "eeafa272cebfd4b22385bc4b645e762c",
      customer_email: "john@example.com",
      total_amount: "210.94",
      cart_status: "active",
      checkout_url: "https://ocean-demo.myshopify.com/548380009/checkouts/123123123/recover?key=example-secret-token",
    });
    const order = await hub.call("POST", "/api/ecommerce/orders", { key: hub.keys.operator, json: orderInput(storefront.storefront_id, { checkout_token: "123123123" }) });
    expect(order.status, order.text).toBe(201);
    await hub.drain();
    expect(await getCart(cartId)).toMatchObject({ cart_status: "converted", converted_to_order: true, ecommerce_order_id: order.body.order.ecommerce_order_id });
  });
});
