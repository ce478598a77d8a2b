/** Customers: the list with its filters and paging, details with recent orders, and the PUT that links an ERP customer. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { orderInput } from "../support/order-factories";

let hub: TestStack;
let storefrontId: number;
const customerIds: number[] = [];
const emails = ["ann@example.com", "Bob@Example.com", "cid@example.com", "dee@example.com", "eve@example.com"];

beforeAll(async () => {
  hub = await startTestStack();
  storefrontId = (await hub.createStorefront()).storefront_id;
  for (const email of emails) {
    const response = await hub.call("POST", "/api/ecommerce/orders", { json: orderInput(storefrontId, { customer_email: email }) });
    customerIds.push(response.body.order.ecommerce_customer_id);
  }
});
afterAll(async () => {
  await hub?.stop();
});

const emailsOf = (response: { body: { customers: { email: string }[] } }) => response.body.customers.map((customer) => customer.email);

describe("listing customers", () => {
  it("pages a storefront's customers in id order with next_cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<TestStack["call"]>> = await hub.call("GET", `/api/ecommerce/customers?storefront_id=${storefrontId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...emailsOf(page));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(emails);
  });

  it("finds one by email in any case, and filters by status", async () => {
    const byEmail = await hub.call("GET", `/api/ecommerce/customers?storefront_id=${storefrontId}&email=BOB@example.COM`);
    expect(emailsOf(byEmail)).toEqual(["Bob@Example.com"]);
    expect((await hub.call("PUT", `/api/ecommerce/customers/${customerIds[2]}`, { json: { customer_status: "blocked" } })).status).toBe(200);
    const blocked = await hub.call("GET", `/api/ecommerce/customers?storefront_id=${storefrontId}&customer_status=blocked&limit=1`);
    expect(emailsOf(blocked)).toEqual(["cid@example.com"]);
  });

  it("without storefront_id, lists every storefront the key may read, one after the other", async () => {
    const other = (await hub.createStorefront()).storefront_id;
    await hub.call("POST", "/api/ecommerce/orders", { json: orderInput(other, { customer_email: "ann@example.com" }) });
    const scoped = await hub.issueKey("viewer", [storefrontId, other]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<TestStack["call"]>> = await hub.call("GET", `/api/ecommerce/customers?limit=4${cursor ? `&cursor=${cursor}` : ""}`, { key: scoped.token });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.customers.map((customer: { storefront_id: number; email: string }) => `${customer.storefront_id}:${customer.email}`));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...emails.map((email) => `${storefrontId}:${email}`), `${other}:ann@example.com`]);
    const byEmail = await hub.call("GET", "/api/ecommerce/customers?email=ann@example.com", { key: scoped.token });
    expect(byEmail.body.customers.map((customer: { storefront_id: number }) => customer.storefront_id)).toEqual([storefrontId, other]);
    const limitedToOne = await hub.issueKey("viewer", [other]);
    expect(emailsOf(await hub.call("GET", "/api/ecommerce/customers", { key: limitedToOne.token }))).toEqual(["ann@example.com"]);
  });

  it("needs a storefront the key may read", async () => {
    const limited = await hub.issueKey("viewer", [storefrontId + 1000]);
    expect((await hub.call("GET", `/api/ecommerce/customers?storefront_id=${storefrontId}`, { key: limited.token })).status).toBe(403);
    expect((await hub.call("GET", `/api/ecommerce/customers/${customerIds[0]}`, { key: limited.token })).status).toBe(403);
  });
});

describe("updating a customer", () => {
  it("links an ERP customer id and sets tags, notes and marketing consent with its date", async () => {
    const id = customerIds[0]!;
    const response = await hub.call("PUT", `/api/ecommerce/customers/${id}`, {
      json: { erp_customer_id: 4711, tags: ["vip"], notes: "Prefers phone calls", accepts_marketing: true },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.customer).toMatchObject({ erp_customer_id: 4711, tags: ["vip"], notes: "Prefers phone calls", accepts_marketing: true });
    expect(Date.parse(response.body.customer.marketing_opt_in_date)).not.toBeNaN();
    const withdrawn = await hub.call("PUT", `/api/ecommerce/customers/${id}`, { json: { accepts_marketing: false } });
    expect(withdrawn.body.customer).toMatchObject({ accepts_marketing: false, marketing_opt_in_date: null, erp_customer_id: 4711 });
  });

  it("refuses an empty update, a bad status and an unknown customer", async () => {
    const empty = await hub.call("PUT", `/api/ecommerce/customers/${customerIds[1]}`, { json: {} });
    expect(empty.status).toBe(400);
    const status = await hub.call("PUT", `/api/ecommerce/customers/${customerIds[1]}`, { json: { customer_status: "deleted" } });
    expect(status.body.error.details[0].field).toBe("body.customer_status");
    expect((await hub.call("PUT", "/api/ecommerce/customers/99999999", { json: { notes: "x" } })).status).toBe(404);
  });
});
