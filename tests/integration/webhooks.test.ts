/**
 * Webhooks over HTTP against the local stack: Shopify's, WooCommerce's and
 * the generic signed format; refusals (tampered, wrong secret, missing,
 * stale and future timestamps, unknown storefront, malformed), duplicates,
 * secret rotation, out-of-order updates, a poison payload that ends in the
 * dead-letter queue, the deliveries list and replay.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { inject } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { genericHeaders, sampleDelivery, shopifyHeaders, wooHeaders, type SampleDelivery } from "../support/webhooks";

let hub: TestStack;
const secret = "shpss_current_secret_0001";
let shop: { storefront_id: number; storefront_code: string };

beforeAll(async () => {
  hub = await startTestStack();
  shop = await hub.createStorefront({ platform_type: "shopify", webhook_secret: secret });
});
afterAll(async () => {
  await hub?.stop();
});

const fresh = (headers: Record<string, string>) => ({ ...headers, "X-Shopify-Webhook-Id": randomUUID() });

async function sendShopify(sample: SampleDelivery, options: { code?: string; secret?: string; body?: string; headers?: Record<string, string> } = {}) {
  const body = options.body ?? sample.body;
  const headers = options.headers ?? shopifyHeaders(sample.body, options.secret ?? secret, fresh(sample.headers));
  return hub.call("POST", `/api/ecommerce/webhooks/shopify/${options.code ?? shop.storefront_code}`, { key: null, body, headers });
}

async function deliveries(query: string) {
  const response = await hub.call("GET", `/api/ecommerce/webhooks/deliveries?${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function orderByExternalId(storefrontId: number, externalId: string) {
  const list = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&limit=200`);
  const summary = list.body.orders.find((order: { external_order_id: string }) => order.external_order_id === externalId);
  return summary ? (await hub.call("GET", `/api/ecommerce/orders/${summary.ecommerce_order_id}`)).body.order : undefined;
}

describe("Shopify deliveries", () => {
  it("accepts a signed orders/create with 202, then the order and its customer exist with their stats", async () => {
    const sample = sampleDelivery("shopify", "orders-create");
    const response = await sendShopify(sample);
    expect(response.status, response.text).toBe(202);
    expect(response.body).toMatchObject({ duplicate: false, delivery_id: expect.any(String) });
    await hub.drain();
    const order = await orderByExternalId(shop.storefront_id, "820982911946154508");
    expect(order).toMatchObject({ external_order_number: "1001", external_order_name: "#1001", currency: "USD" });
    expect(order.customer).toMatchObject({ external_customer_id: "115310627314723954", total_orders: 1 });
    const listed = await deliveries(`storefront_id=${shop.storefront_id}&topic=orders/create`);
    expect(listed.deliveries[0]).toMatchObject({ status: "processed", attempts: 1, source: "shopify", raw_body: sample.body });
  });

  it("answers a repeated X-Shopify-Webhook-Id with 200 duplicate and processes it once", async () => {
    const sample = sampleDelivery("shopify", "customers-update");
    const headers = shopifyHeaders(sample.body, secret, fresh(sample.headers));
    const first = await hub.call("POST", `/api/ecommerce/webhooks/shopify/${shop.storefront_code}`, { key: null, body: sample.body, headers });
    const again = await hub.call("POST", `/api/ecommerce/webhooks/shopify/${shop.storefront_code}`, { key: null, body: sample.body, headers });
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(again.body).toEqual({ message: "Delivery already received", delivery_id: first.body.delivery_id, duplicate: true });
    await hub.drain();
    const [delivery] = (await deliveries(`storefront_id=${shop.storefront_id}&status=duplicate`)).deliveries;
    expect(delivery).toMatchObject({ delivery_id: first.body.delivery_id, duplicate_count: 1, attempts: 1, status: "processed" });
  });

  it("does not let an older customers/update overwrite a newer one", async () => {
    const storefront = await hub.createStorefront({ webhook_secret: secret });
    const sample = sampleDelivery("shopify", "customers-update");
    const older = { ...sample, body: sample.body.replace('"note": "Prefers gift wrapping"', '"note": "Old note"').replace("2025-11-03T11:05:31-05:00", "2025-11-01T09:00:00-05:00") };
    expect(older.body).toContain('"Old note"');
    expect((await sendShopify(sample, { code: storefront.storefront_code })).status).toBe(202);
    await hub.drain();
    expect((await sendShopify(older, { code: storefront.storefront_code, headers: shopifyHeaders(older.body, secret, fresh(older.headers)) })).status).toBe(202);
    await hub.drain();
    const listed = await hub.call("GET", `/api/ecommerce/customers?storefront_id=${storefront.storefront_id}&email=john@example.com`);
    expect(listed.body.customers[0]).toMatchObject({ notes: "Prefers gift wrapping" });
    const [late] = (await deliveries(`storefront_id=${storefront.storefront_id}&topic=customers/update`)).deliveries;
    expect(late.outcome).toMatch(/newer update was applied already/);
  });

  it("refuses a tampered body, a wrong secret, a missing signature and an unknown storefront, writing only a count", async () => {
    const sample = sampleDelivery("shopify", "products-create");
    const before = (await deliveries(`storefront_id=${shop.storefront_id}`)).deliveries.length;
    const tampered = await sendShopify(sample, { body: sample.body.replace("IPod Nano", "IPod Mega") });
    const wrong = await sendShopify(sample, { secret: "not-the-secret" });
    const missing = await sendShopify(sample, { headers: fresh(sample.headers) });
    const unknown = await sendShopify(sample, { code: "NO-SUCH-SHOP" });
    expect([tampered.status, wrong.status, missing.status, unknown.status]).toEqual([401, 401, 401, 404]);
    expect([tampered.body.error.code, wrong.body.error.code, missing.body.error.code, unknown.body.error.code]).toEqual([
      "invalid_signature",
      "invalid_signature",
      "missing_signature",
      "unknown_storefront",
    ]);
    const after = await deliveries(`storefront_id=${shop.storefront_id}`);
    expect(after.deliveries.length).toBe(before);
    expect(after.statistics).toMatchObject({ rejected_invalid_signature: 2, rejected_missing_signature: 1 });
    const malformed = await sendShopify(sample, { body: "{not json", headers: shopifyHeaders("{not json", secret, fresh(sample.headers)) });
    expect(malformed.status).toBe(400);
    expect((await deliveries(`storefront_id=${shop.storefront_id}`)).statistics.rejected_malformed).toBe(1);
  });

  it("applies an orders/updated that arrives before the orders/create it follows, and the late create changes nothing", async () => {
    const storefront = await hub.createStorefront({ webhook_secret: secret });
    const create = sampleDelivery("shopify", "orders-create");
    const updated = sampleDelivery("shopify", "orders-updated");
    expect((await sendShopify(updated, { code: storefront.storefront_code })).status).toBe(202);
    await hub.drain();
    expect((await sendShopify(create, { code: storefront.storefront_code })).status).toBe(202);
    await hub.drain();
    const order = await orderByExternalId(storefront.storefront_id, "820982911946154508");
    // The update's payment and tags stand; the create (authorized, no tags) did not overwrite them.
    expect(order).toMatchObject({ payment_status: "paid", tags: ["gift", "vip"] });
    const [late] = (await deliveries(`storefront_id=${storefront.storefront_id}&topic=orders/create`)).deliveries;
    expect(late.outcome).toMatch(/unchanged/);
  });

  it("keeps accepting the previous secret after a rotation, and the new one at once", async () => {
    const storefront = await hub.createStorefront({ webhook_secret: "rotation-old-secret" });
    const sample = sampleDelivery("shopify", "customers-create");
    expect((await sendShopify(sample, { code: storefront.storefront_code, secret: "rotation-old-secret" })).status).toBe(202);
    const rotated = await hub.call("PUT", `/api/ecommerce/storefronts/${storefront.storefront_id}`, { json: { webhook_secret: "rotation-new-secret" } });
    expect(rotated.status, rotated.text).toBe(200);
    expect((await sendShopify(sample, { code: storefront.storefront_code, secret: "rotation-new-secret" })).status).toBe(202);
    expect((await sendShopify(sample, { code: storefront.storefront_code, secret: "rotation-old-secret" })).status).toBe(202);
    expect((await sendShopify(sample, { code: storefront.storefront_code, secret: "never-a-secret" })).status).toBe(401);
  });

  it("sets a variant's stock to the sum of its Shopify locations' levels, ignoring an older level", async () => {
    const storefront = await hub.createStorefront({ webhook_secret: secret });
    const code = storefront.storefront_code;
    expect((await sendShopify(sampleDelivery("shopify", "products-create"), { code })).status).toBe(202);
    await hub.drain();
    const level = sampleDelivery("shopify", "inventory_levels-update");
    const at = (location: string, available: number, updatedAt: string) => {
      const body = level.body.replace('"location_id": 487838322', `"location_id": ${location}`).replace('"available": 9', `"available": ${available}`).replace("2025-11-03T10:15:43-05:00", updatedAt);
      return sendShopify({ ...level, body }, { code, headers: shopifyHeaders(body, secret, fresh(level.headers)) });
    };
    expect((await at("487838322", 9, "2025-11-03T10:15:43-05:00")).status).toBe(202);
    await hub.drain();
    expect((await at("555000111", 5, "2025-11-03T10:20:00-05:00")).status).toBe(202);
    await hub.drain();
    expect((await at("487838322", 2, "2025-11-03T09:00:00-05:00")).status).toBe(202);
    await hub.drain();
    const products = await hub.call("GET", `/api/ecommerce/products?storefront_id=${storefront.storefront_id}`);
    const productId = products.body.products.find((product: { external_product_id: string }) => product.external_product_id === "632910392").ecommerce_product_id;
    const variants = await hub.call("GET", `/api/ecommerce/products/${productId}/variants`);
    const variant = variants.body.variants.find((each: { external_variant_id: string }) => each.external_variant_id === "808950810");
    expect(variant.inventory_quantity).toBe(14);
    const [late] = (await deliveries(`storefront_id=${storefront.storefront_id}&topic=inventory_levels/update`)).deliveries;
    expect(late.outcome).toMatch(/older stock level of location 487838322/);
  });

  it("processes a sample of every topic", async () => {
    const storefront = await hub.createStorefront({ webhook_secret: secret });
    const topics = [
      "products-create",
      "products-update",
      "inventory_levels-update",
      "customers-create",
      "customers-update",
      "orders-create",
      "orders-paid",
      "orders-updated",
      "orders-partially_fulfilled",
      "orders-fulfilled",
      "orders-cancelled",
      "refunds-create",
      "checkouts-create",
      "checkouts-update",
      "products-delete",
    ];
    for (const name of topics) expect((await sendShopify(sampleDelivery("shopify", name), { code: storefront.storefront_code })).status, name).toBe(202);
    await hub.drain().catch(async (error) => {
      console.log(JSON.stringify((await deliveries(`storefront_id=${storefront.storefront_id}&limit=50`)).deliveries.map((d: any) => [d.topic, d.status, d.attempts, d.last_error, d.outcome])));
      throw error;
    });
    const listed = await deliveries(`storefront_id=${storefront.storefront_id}&limit=50`);
    expect(listed.deliveries).toHaveLength(topics.length);
    const notProcessed = listed.deliveries.filter((delivery: { status: string }) => delivery.status !== "processed");
    expect(notProcessed.map((delivery: { topic: string; last_error: string }) => `${delivery.topic}: ${delivery.last_error}`)).toEqual([]);
    const products = await hub.call("GET", `/api/ecommerce/products?storefront_id=${storefront.storefront_id}`);
    expect(products.body.products).toHaveLength(1);
    expect(products.body.products[0]).toMatchObject({ external_product_id: "632910392", is_published: false });
    const payments = (await orderByExternalId(storefront.storefront_id, "820982911946154508")).payments;
    expect(payments.map((payment: { payment_type: string }) => payment.payment_type).sort()).toEqual(["charge", "refund"]);
  });
});

describe("WooCommerce deliveries", () => {
  it("answers the unsigned ping with 200 and stores nothing; imports a signed order.created", async () => {
    const storefront = await hub.createStorefront({ platform_type: "woocommerce", webhook_secret: "woo-secret" });
    const ping = sampleDelivery("woocommerce", "ping");
    const pinged = await hub.call("POST", `/api/ecommerce/webhooks/woocommerce/${storefront.storefront_code}`, { key: null, body: ping.body, headers: ping.headers });
    expect(pinged.status).toBe(200);
    const order = sampleDelivery("woocommerce", "order.created");
    const sent = await hub.call("POST", `/api/ecommerce/webhooks/woocommerce/${storefront.storefront_code}`, { key: null, body: order.body, headers: wooHeaders(order.body, "woo-secret", order.headers) });
    expect(sent.status, sent.text).toBe(202);
    await hub.drain();
    expect((await deliveries(`storefront_id=${storefront.storefront_id}`)).deliveries.map((delivery: { status: string }) => delivery.status)).toEqual(["processed"]);
    expect((await orderByExternalId(storefront.storefront_id, "727")).total_amount).toBe("29.35");
  });
});

describe("every WooCommerce topic and generic event", () => {
  it("processes a sample of each", async () => {
    const woo = await hub.createStorefront({ platform_type: "woocommerce", webhook_secret: "woo-secret" });
    const wooTopics = ["product.created", "product.updated", "customer.created", "customer.updated", "order.created", "order.updated", "order.deleted", "product.deleted"];
    for (const name of wooTopics) {
      const sample = sampleDelivery("woocommerce", name);
      const sent = await hub.call("POST", `/api/ecommerce/webhooks/woocommerce/${woo.storefront_code}`, { key: null, body: sample.body, headers: wooHeaders(sample.body, "woo-secret", sample.headers) });
      expect(sent.status, `${name}: ${sent.text}`).toBe(202);
    }
    const custom = await hub.createStorefront({ platform_type: "custom", webhook_secret: "generic-secret" });
    const events = ["product.created", "product.updated", "inventory.updated", "order.created", "order.updated", "order.fulfilled", "order.cancelled"];
    for (const name of events) {
      const body = sampleDelivery("generic", name).body.replace(/"storefront_code":\s*"[^"]*"/, `"storefront_code": "${custom.storefront_code}"`);
      const sent = await hub.call("POST", "/api/ecommerce/webhooks/orders", { key: null, body, headers: genericHeaders(body, "generic-secret", { "X-Ocean-Delivery-Id": randomUUID() }) });
      expect(sent.status, `${name}: ${sent.text}`).toBe(202);
    }
    await hub.drain();
    for (const storefront of [woo, custom]) {
      const listed = await deliveries(`storefront_id=${storefront.storefront_id}&limit=50`);
      expect(listed.deliveries.map((delivery: { topic: string; status: string; last_error: string }) => `${delivery.topic} ${delivery.status} ${delivery.last_error ?? ""}`.trim()).sort()).toEqual(
        (storefront === woo ? wooTopics : events).map((topic) => `${topic} processed`).sort(),
      );
    }
    const wooProducts = await hub.call("GET", `/api/ecommerce/products?storefront_id=${woo.storefront_id}`);
    expect(wooProducts.body.products.map((product: { is_published: boolean }) => product.is_published)).toEqual([false]);
    const customOrder = await orderByExternalId(custom.storefront_id, "820982911946154508");
    expect(customOrder).toMatchObject({ total_amount: "410.68" });
  });
});

describe("the generic signed endpoint", () => {
  const send = (body: string, headers: Record<string, string>) => hub.call("POST", "/api/ecommerce/webhooks/orders", { key: null, body, headers });

  it("accepts a fresh signature (one of several v1 during a rotation) and refuses stale and future timestamps", async () => {
    const storefront = await hub.createStorefront({ webhook_secret: "generic-secret" });
    const sample = sampleDelivery("generic", "order.created");
    const body = sample.body.replace(/"storefront_code":\s*"[^"]*"/, `"storefront_code": "${storefront.storefront_code}"`);
    const now = Math.floor(Date.now() / 1000);
    const good = genericHeaders(body, "generic-secret", { "X-Ocean-Delivery-Id": randomUUID() }, now);
    const twoSignatures = { ...good, "X-Ocean-Signature": `${genericHeaders(body, "other-secret", {}, now)["X-Ocean-Signature"]},${good["X-Ocean-Signature"]!.split(",")[1]}` };
    expect((await send(body, twoSignatures)).status).toBe(202);
    const stale = await send(body, genericHeaders(body, "generic-secret", { "X-Ocean-Delivery-Id": randomUUID() }, now - 301));
    const future = await send(body, genericHeaders(body, "generic-secret", { "X-Ocean-Delivery-Id": randomUUID() }, now + 301));
    expect([stale.status, stale.body.error.code, future.status, future.body.error.code]).toEqual([401, "stale_timestamp", 401, "stale_timestamp"]);
    const malformed = await send('{"storefront_code": 5}', genericHeaders('{"storefront_code": 5}', "generic-secret"));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.map((issue: { field: string }) => issue.field)).toContain("body.storefront_code");
    await hub.drain();
    const listed = await deliveries(`storefront_id=${storefront.storefront_id}`);
    expect(listed.deliveries.map((delivery: { status: string; topic: string }) => [delivery.topic, delivery.status])).toEqual([["order.created", "processed"]]);
    expect(listed.statistics.rejected_stale_timestamp).toBe(2);
  });

  it("sends a poison payload to the dead-letter queue, marked failed, without holding up the others; replay processes a delivery again", async () => {
    const storefront = await hub.createStorefront({ webhook_secret: "generic-secret" });
    const valid = sampleDelivery("generic", "product.created").body.replace(/"storefront_code":\s*"[^"]*"/, `"storefront_code": "${storefront.storefront_code}"`);
    const poison = JSON.stringify({ storefront_code: storefront.storefront_code, webhook_event: "order.created", data: { external_order_id: "poison", line_items: "not a list" } });
    expect((await send(poison, genericHeaders(poison, "generic-secret", { "X-Ocean-Delivery-Id": "poison-1" }))).status).toBe(202);
    expect((await send(valid, genericHeaders(valid, "generic-secret", { "X-Ocean-Delivery-Id": "valid-1" }))).status).toBe(202);
    await hub.drain(30_000);
    const listed = await deliveries(`storefront_id=${storefront.storefront_id}`);
    const byTopic = Object.fromEntries(listed.deliveries.map((delivery: { topic: string }) => [delivery.topic, delivery]));
    expect(byTopic["product.created"]).toMatchObject({ status: "processed", attempts: 1 });
    expect(byTopic["order.created"]).toMatchObject({ status: "failed", attempts: 5 });
    expect(byTopic["order.created"].last_error).toMatch(/validation_error/);
    const sqs = new SQSClient({ endpoint: inject("endpoints").sqs });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: hub.queues.get("webhooks")!.deadLetterUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    expect(Number(Attributes?.ApproximateNumberOfMessages)).toBe(1);
    sqs.destroy();

    const replayed = await hub.call("POST", `/api/ecommerce/webhooks/deliveries/${byTopic["product.created"].delivery_id}/replay`, { key: hub.keys.operator });
    expect(replayed.status, replayed.text).toBe(202);
    expect((await hub.call("POST", `/api/ecommerce/webhooks/deliveries/${byTopic["product.created"].delivery_id}/replay`, { key: hub.keys.viewer })).status).toBe(403);
    await hub.drain();
    const [again] = (await deliveries(`storefront_id=${storefront.storefront_id}&topic=product.created`)).deliveries;
    expect(again).toMatchObject({ status: "processed", attempts: 2 });
    const products = await hub.call("GET", `/api/ecommerce/products?storefront_id=${storefront.storefront_id}`);
    expect(products.body.products).toHaveLength(1);
  }, 60_000);
});
