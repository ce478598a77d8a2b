/**
 * Order import and reads against the local stack: re-import as update,
 * out-of-order protection, replays writing nothing, catalog linking, the
 * customer found or created, list filters and paging, and the statistics
 * served from the counters the order-counters processor keeps.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { startTestStack, type TestStack } from "../support/test-stack";
import { productInput, variantInput } from "../support/catalog-factories";
import { lineItemInput, orderInput } from "../support/order-factories";

let hub: TestStack;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  hub = await startTestStack();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
});
afterAll(async () => {
  doc?.destroy();
  await hub?.stop();
});

async function newStorefront(overrides: Record<string, unknown> = {}): Promise<number> {
  return (await hub.createStorefront(overrides)).storefront_id;
}

async function importOrder(body: Record<string, unknown>, expected = 201) {
  const response = await hub.call("POST", "/api/ecommerce/orders", { json: body });
  expect(response.status, response.text).toBe(expected);
  return response.body;
}

/** Every item of an order's partition, straight from the table. */
async function partitionOf(orderId: number) {
  const { Items } = await doc.send(new QueryCommand({ TableName: hub.table.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `ORDER#${orderId}` }, ConsistentRead: true }));
  return Items ?? [];
}

describe("importing an order", () => {
  let storefrontId: number;
  beforeAll(async () => {
    storefrontId = await newStorefront();
  });

  it("creates it with exact amounts, its items and a new customer, and answers 201", async () => {
    const input = orderInput(storefrontId, {
      total_amount: "1418.99",
      subtotal_amount: 1299.99,
      shipping_amount: 19.99,
      tax_amount: "99.01",
      line_items: [lineItemInput({ product_name: 'Professional Laptop 15"', quantity: 1, unit_price: 1299.99, total_amount: 1299.99 })],
    });
    const body = await importOrder(input);
    expect(body.message).toBe("Order imported successfully");
    expect(body.order).toMatchObject({
      external_order_id: input.external_order_id,
      total_amount: "1418.99",
      subtotal_amount: "1299.99",
      shipping_amount: "19.99",
      tax_amount: "99.01",
      discount_amount: "0.00",
      currency: "USD",
      order_status: "pending",
      payment_status: "paid",
      fulfillment_status: "unfulfilled",
      import_status: "imported",
      item_count: 1,
    });
    expect(body.order.items).toHaveLength(1);
    expect(body.order.items[0]).toMatchObject({ unit_price: "1299.99", total_amount: "1299.99", quantity: 1, ecommerce_product_id: null });

    const details = await hub.call("GET", `/api/ecommerce/orders/${body.order.ecommerce_order_id}`);
    expect(details.status).toBe(200);
    expect(details.body.order.items).toEqual(body.order.items);
    expect(details.body.order.payments).toEqual([]);
    expect(details.body.order.customer).toMatchObject({ email: input.customer_email, first_name: "Jane", last_name: "Smith", customer_status: "active" });
    expect(details.body.order.customer.ecommerce_customer_id).toBe(body.order.ecommerce_customer_id);
  });

  it("computes the totals from the items: the platform's subtotal and total do not override them", async () => {
    const body = await importOrder(
      orderInput(storefrontId, {
        subtotal_amount: 1,
        total_amount: 2,
        discount_amount: "5.00",
        shipping_amount: 15,
        tax_amount: 48,
        line_items: [lineItemInput({ unit_price: 599.99, quantity: 1, total_amount: 599.99 }), lineItemInput({ unit_price: "10.10", quantity: 3, discount_amount: 1, total_amount: undefined })],
      }),
    );
    // 599.99 + (3 × 10.10 − 1.00 = 29.30) = 629.29; − 5.00 + 15.00 + 48.00 = 687.29
    expect(body.order).toMatchObject({ subtotal_amount: "629.29", total_amount: "687.29" });
    expect(body.order.items[1].total_amount).toBe("29.30");
  });

  it("recomputes the totals when an item changes outside an import (the totals processor)", async () => {
    const body = await importOrder(orderInput(storefrontId, { shipping_amount: 0, tax_amount: 0, line_items: [lineItemInput({ unit_price: 10, total_amount: 10 })] }));
    const id = body.order.ecommerce_order_id;
    const item = (await partitionOf(id)).find((each) => String(each.sk).startsWith("ITEM#"))!;
    await doc.send(new PutCommand({ TableName: hub.table.tableName, Item: { ...item, quantity: 4, total_minor: 4000 } }));
    await hub.drain();
    const details = await hub.call("GET", `/api/ecommerce/orders/${id}`);
    expect(details.body.order).toMatchObject({ subtotal_amount: "40.00", total_amount: "40.00" });
  });

  it("keeps an order in its own currency with that currency's decimals", async () => {
    const body = await importOrder(orderInput(storefrontId, { currency: "JPY", total_amount: 15000, subtotal_amount: 15000, shipping_amount: 0, tax_amount: 0, line_items: [lineItemInput({ unit_price: 7500, quantity: 2, total_amount: 15000 })] }));
    expect(body.order).toMatchObject({ currency: "JPY", total_amount: "15000" });
    expect(body.order.items[0].unit_price).toBe("7500");
  });

  it("refuses an amount with more decimals than the currency has, naming the field, and writes nothing", async () => {
    const input = orderInput(storefrontId, { line_items: [lineItemInput(), lineItemInput({ unit_price: "10.005" })] });
    const response = await hub.call("POST", "/api/ecommerce/orders", { json: input });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: "body.line_items.1.unit_price", message: "must have at most 2 decimals in USD" }]);
    const list = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&limit=200`);
    expect(list.body.orders.map((order: { external_order_id: string }) => order.external_order_id)).not.toContain(input.external_order_id);
  });

  it("names invalid fields: a bad email, a missing order date, an unknown status", async () => {
    const input = orderInput(storefrontId, { customer_email: "not-an-email", order_status: "shipped" });
    delete input.order_date;
    const response = await hub.call("POST", "/api/ecommerce/orders", { json: input });
    expect(response.status).toBe(400);
    const fields = response.body.error.details.map((issue: { field: string }) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(["body.customer_email", "body.order_date", "body.order_status"]));
  });

  it("refuses a storefront the key may not touch (403) and an unknown one (400)", async () => {
    const limited = await hub.issueKey("operator", [storefrontId]);
    const other = await newStorefront();
    expect((await hub.call("POST", "/api/ecommerce/orders", { json: orderInput(other), key: limited.token })).status).toBe(403);
    const unknown = await hub.call("POST", "/api/ecommerce/orders", { json: orderInput(999_999) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].field).toBe("body.storefront_id");
  });
});

describe("importing the same order again", () => {
  let storefrontId: number;
  beforeAll(async () => {
    storefrontId = await newStorefront();
  });

  it("updates it in place: one order, items keep their ids, removed items go", async () => {
    const first = lineItemInput({ external_item_id: "line-a", quantity: 1 });
    const second = lineItemInput({ external_item_id: "line-b", quantity: 2, unit_price: 10, total_amount: 20 });
    const input = orderInput(storefrontId, { line_items: [first, second], updated_at: "2024-12-04T15:00:00Z" });
    const created = await importOrder(input);
    const id = created.order.ecommerce_order_id;
    const itemA = created.order.items.find((item: { external_item_id: string }) => item.external_item_id === "line-a").order_item_id;

    const updated = await importOrder(
      { ...input, order_status: "confirmed", line_items: [{ ...first, quantity: 3, total_amount: 1799.97 }], updated_at: "2024-12-04T16:00:00Z" },
      200,
    );
    expect(updated).toMatchObject({ message: "Order updated successfully", action: "updated", changed: true, stale: false });
    expect(updated.order).toMatchObject({ ecommerce_order_id: id, order_status: "confirmed", item_count: 1 });
    expect(updated.order.items).toEqual([expect.objectContaining({ order_item_id: itemA, quantity: 3, total_amount: "1799.97" })]);

    const partition = await partitionOf(id);
    expect(partition.filter((item) => String(item.sk).startsWith("ITEM#"))).toHaveLength(1);
    const list = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}`);
    expect(list.body.orders.filter((order: { external_order_id: string }) => order.external_order_id === input.external_order_id)).toHaveLength(1);
  });

  it("writes nothing for an identical replay", async () => {
    const input = orderInput(storefrontId, { updated_at: "2024-12-05T10:00:00Z" });
    const created = await importOrder(input);
    const before = await partitionOf(created.order.ecommerce_order_id);
    const replay = await importOrder(input, 200);
    expect(replay).toMatchObject({ message: "Order unchanged: the import matches the stored order", changed: false, stale: false });
    expect(await partitionOf(created.order.ecommerce_order_id)).toEqual(before);
  });

  it("refuses an update older than the one applied, whatever order they arrive in", async () => {
    const input = orderInput(storefrontId, { order_status: "processing", updated_at: "2024-12-06T12:00:00Z" });
    const created = await importOrder(input);
    const older = await importOrder({ ...input, order_status: "pending", total_amount: 1, updated_at: "2024-12-06T11:00:00Z" }, 200);
    expect(older).toMatchObject({ stale: true, changed: false });
    expect(older.order).toMatchObject({ order_status: "processing", total_amount: "662.99" });
    const stored = (await partitionOf(created.order.ecommerce_order_id)).find((item) => item.sk === "ORDER")!;
    expect(stored).toMatchObject({ order_status: "processing", total_minor: 66299, version: 1 });
  });

  it("creates one order when the same new order is imported concurrently", async () => {
    const input = orderInput(storefrontId);
    const responses = await Promise.all(Array.from({ length: 6 }, () => hub.call("POST", "/api/ecommerce/orders", { json: input })));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.order.ecommerce_order_id)).size).toBe(1);
    expect(new Set(responses.map((response) => response.body.order.ecommerce_customer_id)).size).toBe(1);
  });
});

describe("linking", () => {
  let storefrontId: number;
  beforeAll(async () => {
    storefrontId = await newStorefront();
  });

  it("links line items to catalog products and variants by their external ids", async () => {
    const product = (await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId) })).body.product;
    const variant = (await hub.call("POST", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`, { json: variantInput() })).body.variant;
    const body = await importOrder(
      orderInput(storefrontId, {
        line_items: [
          lineItemInput({ external_product_id: product.external_product_id, external_variant_id: variant.external_variant_id }),
          lineItemInput({ external_product_id: product.external_product_id }),
          lineItemInput({ external_product_id: "not-in-the-catalog" }),
        ],
      }),
    );
    expect(body.order.items.map((item: Record<string, unknown>) => [item.ecommerce_product_id, item.variant_id])).toEqual([
      [product.ecommerce_product_id, variant.variant_id],
      [product.ecommerce_product_id, null],
      [null, null],
    ]);
  });

  it("links a line with no known external id by its SKU: a variant's first, else a product's, as the catalog has it now", async () => {
    const shared = `SKU-SHARED-${Date.now()}`;
    const plain = (await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId, { external_sku: shared }) })).body.product;
    const sized = (await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId) })).body.product;
    const variant = (await hub.call("POST", `/api/ecommerce/products/${sized.ecommerce_product_id}/variants`, { json: variantInput({ sku: `${shared}-L` }) })).body.variant;
    const elsewhere = await newStorefront();
    await hub.call("POST", "/api/ecommerce/products", { json: productInput(elsewhere, { external_sku: "ONLY-ELSEWHERE" }) });
    await hub.drain();
    const links = async () => {
      const body = await importOrder(
        orderInput(storefrontId, {
          line_items: [
            lineItemInput({ sku: shared }),
            lineItemInput({ sku: `${shared}-L`, external_product_id: "unknown-to-the-catalog" }),
            lineItemInput({ sku: "ONLY-ELSEWHERE" }),
          ],
        }),
      );
      return body.order.items.map((item: Record<string, unknown>) => [item.ecommerce_product_id, item.variant_id]);
    };
    expect(await links()).toEqual([
      [plain.ecommerce_product_id, null],
      [sized.ecommerce_product_id, variant.variant_id],
      [null, null],
    ]);
    // The product's SKU changes: the old one links nothing any more.
    expect((await hub.call("PUT", `/api/ecommerce/products/${plain.ecommerce_product_id}`, { json: { external_sku: `${shared}-NEW` } })).status).toBe(200);
    await hub.drain();
    expect((await links())[0]).toEqual([null, null]);
  });

  it("finds the customer by external customer id, else by email in any case, and creates one per storefront", async () => {
    const email = `Mixed.Case-${Date.now()}@Example.com`;
    const first = await importOrder(orderInput(storefrontId, { customer_email: email }));
    const sameByEmail = await importOrder(orderInput(storefrontId, { customer_email: email.toLowerCase(), external_customer_id: "cust-1" }));
    const sameByExternalId = await importOrder(orderInput(storefrontId, { customer_email: "changed@example.com", external_customer_id: "cust-1" }));
    const otherStorefront = await importOrder(orderInput(await newStorefront(), { customer_email: email }));
    const customerId = first.order.ecommerce_customer_id;
    expect(sameByEmail.order.ecommerce_customer_id).toBe(customerId);
    expect(sameByExternalId.order.ecommerce_customer_id).toBe(customerId);
    expect(otherStorefront.order.ecommerce_customer_id).not.toBe(customerId);
    const customer = await hub.call("GET", `/api/ecommerce/customers/${customerId}`);
    expect(customer.body.customer).toMatchObject({ external_customer_id: "cust-1", email });
  });
});

describe("listing orders", () => {
  let storefrontId: number;
  const orders: { date: string; order_status: string; payment_status: string; total: string; test?: boolean; currency?: string }[] = [
    { date: "2024-11-30T23:59:59Z", order_status: "pending", payment_status: "pending", total: "10.00" },
    { date: "2024-12-01T00:00:00Z", order_status: "confirmed", payment_status: "paid", total: "20.50" },
    { date: "2024-12-01T12:00:00Z", order_status: "fulfilled", payment_status: "paid", total: "30.25" },
    { date: "2024-12-02T08:00:00Z", order_status: "cancelled", payment_status: "refunded", total: "40.00" },
    { date: "2024-12-02T09:00:00Z", order_status: "pending", payment_status: "paid", total: "50.00", test: true },
    { date: "2024-12-03T00:00:00Z", order_status: "pending", payment_status: "paid", total: "60.00" },
    { date: "2024-12-03T10:00:00Z", order_status: "processing", payment_status: "paid", total: "1000", currency: "EUR" },
  ];

  beforeAll(async () => {
    storefrontId = await newStorefront();
    for (const [index, order] of orders.entries()) {
      await importOrder(
        orderInput(storefrontId, {
          external_order_id: `list-${index}`,
          order_date: order.date,
          order_status: order.order_status,
          payment_status: order.payment_status,
          fulfillment_status: order.order_status === "fulfilled" ? "fulfilled" : "unfulfilled",
          import_status: index === 0 ? "pending" : "imported",
          total_amount: order.total,
          shipping_amount: 0,
          tax_amount: 0,
          line_items: [lineItemInput({ unit_price: order.total, total_amount: order.total })],
          currency: order.currency ?? "USD",
          is_test_order: order.test ?? false,
        }),
      );
    }
    await hub.drain();
  });

  const ids = (response: { body: { orders: { external_order_id: string }[] } }) => response.body.orders.map((order) => order.external_order_id);

  it("lists newest first with the contract's fields", async () => {
    const response = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}`);
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual(["list-6", "list-5", "list-4", "list-3", "list-2", "list-1", "list-0"]);
    expect(response.body.orders[4]).toEqual({
      ecommerce_order_id: expect.any(Number),
      external_order_id: "list-2",
      external_order_number: expect.any(String),
      customer_name: "Jane Smith",
      customer_email: expect.any(String),
      total_amount: "30.25",
      currency: "USD",
      order_status: "fulfilled",
      payment_status: "paid",
      fulfillment_status: "fulfilled",
      import_status: "imported",
      storefront_id: storefrontId,
      storefront_name: expect.any(String),
      item_count: 1,
      order_date: "2024-12-01T12:00:00.000Z",
    });
  });

  it("serves statistics from the counters: cancelled, refunded and test orders bring no revenue", async () => {
    const response = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&order_status=pending`);
    // USD sales: 10.00 + 20.50 + 30.25 + 60.00 = 120.75 over 4 orders -> 30.1875 -> 30.19
    expect(response.body.statistics).toEqual({
      total_orders: 7,
      currency: "USD",
      total_revenue: "120.75",
      revenue_by_currency: { USD: "120.75", EUR: "1000.00" },
      average_order_value: "30.19",
      pending_orders: 3,
      fulfilled_orders: 1,
      paid_orders: 5,
      pending_import: 1,
      oversold_orders: 0,
    });
    expect(response.body.pagination).toMatchObject({ total: 3, page: 1 });
    expect(ids(response)).toEqual(["list-5", "list-4", "list-0"]);
  });

  it("filters by date range (a date alone as the upper bound includes the whole day) and by payment status", async () => {
    const range = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&from_date=2024-12-01&to_date=2024-12-02`);
    expect(ids(range)).toEqual(["list-4", "list-3", "list-2", "list-1"]);
    expect(range.body.pagination.total).toBeNull();
    const paid = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&payment_status=paid&to_date=2024-12-02T09:00:00Z`);
    expect(ids(paid)).toEqual(["list-4", "list-2", "list-1"]);
  });

  it("pages with next_cursor and with page numbers, filtered or not", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<TestStack["call"]>> = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&payment_status=paid&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.orders.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["list-6", "list-5", "list-4", "list-2", "list-1"]);
    const second = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&page=2&limit=3`);
    expect(ids(second)).toEqual(["list-3", "list-2", "list-1"]);
    expect(second.body.pagination).toEqual({ page: 2, limit: 3, total: 7, totalPages: 3 });
  });

  it("refuses page together with cursor, and a storefront the key may not read", async () => {
    const both = await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&page=2&cursor=abc`);
    expect(both.status).toBe(400);
    expect(both.body.error.details[0].field).toBe("query.page");
    const limited = await hub.issueKey("viewer", [storefrontId + 1000]);
    expect((await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}`, { key: limited.token })).status).toBe(403);
  });

  it("without storefront_id, merges every storefront the key may read, newest first, with their counters summed", async () => {
    const other = await newStorefront({ default_currency: "EUR" });
    const dates = ["2024-12-01T06:00:00Z", "2024-12-02T08:00:00Z", "2024-12-04T00:00:00Z"];
    for (const [index, date] of dates.entries()) {
      await importOrder(orderInput(other, { external_order_id: `other-${index}`, order_date: date, currency: "EUR", shipping_amount: 0, tax_amount: 0, total_amount: 5, line_items: [lineItemInput({ unit_price: 5, total_amount: 5 })] }));
    }
    await hub.drain();
    const both = await hub.issueKey("viewer", [storefrontId, other]);
    // other-1 and list-3 share their date: the later import (higher id) comes first.
    const expected = ["other-2", "list-6", "list-5", "list-4", "other-1", "list-3", "list-2", "other-0", "list-1", "list-0"];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<TestStack["call"]>> = await hub.call("GET", `/api/ecommerce/orders?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { key: both.token });
      expect(page.status, page.text).toBe(200);
      seen.push(...ids(page));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    const second = await hub.call("GET", "/api/ecommerce/orders?page=2&limit=4", { key: both.token });
    expect(ids(second)).toEqual(expected.slice(4, 8));
    expect(second.body.statistics).toMatchObject({ total_orders: 10, revenue_by_currency: { USD: "120.75", EUR: "1015.00" } });
    // Sales: 4 in USD, 4 in EUR (the two storefronts' defaults differ): a tie goes to the first currency code in alphabetical order.
    expect(second.body.statistics.currency).toBe("EUR");
    expect(second.body.pagination).toEqual({ page: 2, limit: 4, total: 10, totalPages: 3 });
    const paid = await hub.call("GET", "/api/ecommerce/orders?payment_status=paid&from_date=2024-12-02", { key: both.token });
    expect(ids(paid)).toEqual(["other-2", "list-6", "list-5", "list-4", "other-1"]);
  });

  it("adds the storefront's order count and revenue to the storefront list", async () => {
    const storefront = await hub.call("GET", `/api/ecommerce/storefronts/${storefrontId}`);
    expect(storefront.body.storefront).toMatchObject({ order_count: 7, total_revenue: "120.75" });
  });
});
