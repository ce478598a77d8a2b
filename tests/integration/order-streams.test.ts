/**
 * The order processors under at-least-once delivery. The local stack runs
 * every function except the order-counters and customer-stats processors:
 * the order records they would get are captured, and the test hands those
 * real records to the real processors once, twice, and in another order.
 * Expected values are computed here from what the test imported.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { functions, queues } from "../../infra/wiring";
import { handler as orderCounters } from "../../functions/streams/order-counters";
import { handler as customerStats } from "../../functions/streams/customer-stats";
import { capturedBatches } from "../support/catalog-stream-capture";
import { startTestStack, type TestStack } from "../support/test-stack";
import { productInput } from "../support/catalog-factories";
import { lineItemInput, orderInput } from "../support/order-factories";

let hub: TestStack;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  const captured = functions
    .filter((fn) => fn.name !== "customer-stats")
    .map((fn) => (fn.name === "order-counters" ? { ...fn, entry: "tests/support/catalog-stream-capture.ts" } : fn));
  hub = await startTestStack({ wiring: { functions: captured, queues } });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
});
afterAll(async () => {
  doc?.destroy();
  await hub?.stop();
});

interface Imported {
  customer: string;
  order_date: string;
  order_status: string;
  payment_status: string;
  is_test_order: boolean;
  currency: string;
  /** Product index -> quantity; each line costs its product's price. */
  lines: [number, number][];
}

const PRICES_CENTS = [1250, 999];
const totalCents = (order: Imported) => order.lines.reduce((sum, [product, quantity]) => sum + PRICES_CENTS[product]! * quantity, 0);
const isSale = (order: Imported) =>
  !order.is_test_order && !["cancelled", "refunded"].includes(order.order_status) && !["refunded", "voided"].includes(order.payment_status);
const cents = (value: number) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, "0")}`;

async function getItem(pk: string, sk: string) {
  const { Item } = await doc.send(new GetCommand({ TableName: hub.table.tableName, Key: { pk, sk }, ConsistentRead: true }));
  return Item ?? {};
}

describe("order processors", () => {
  let storefrontId: number;
  const productIds: number[] = [];
  const externalProductIds: string[] = [];
  const customers = ["ann", "bob", "cid"].map((name) => ({ name, external: `cust-${name}`, email: `${name}-${Date.now()}@example.com` }));
  const orders = new Map<string, Imported>();
  const customerIdOf = new Map<string, number>();

  async function put(externalId: string, order: Imported, version: string) {
    const customer = customers.find((each) => each.name === order.customer)!;
    const response = await hub.call("POST", "/api/ecommerce/orders", {
      json: orderInput(storefrontId, {
        external_order_id: externalId,
        external_customer_id: customer.external,
        customer_email: customer.email,
        order_date: order.order_date,
        order_status: order.order_status,
        payment_status: order.payment_status,
        is_test_order: order.is_test_order,
        currency: order.currency,
        shipping_amount: 0,
        tax_amount: 0,
        updated_at: version,
        line_items: order.lines.map(([product, quantity], index) =>
          lineItemInput({ external_item_id: `line-${index}`, external_product_id: externalProductIds[product], quantity, unit_price: cents(PRICES_CENTS[product]!), total_amount: cents(PRICES_CENTS[product]! * quantity) }),
        ),
      }),
    });
    expect(response.status, response.text).toBeLessThan(300);
    customerIdOf.set(order.customer, response.body.order.ecommerce_customer_id);
    orders.set(externalId, order);
  }

  beforeAll(async () => {
    storefrontId = (await hub.createStorefront()).storefront_id;
    for (let index = 0; index < 2; index++) {
      const product = (await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId) })).body.product;
      productIds.push(product.ecommerce_product_id);
      externalProductIds.push(product.external_product_id);
    }
    const base = { order_status: "pending", payment_status: "paid", is_test_order: false, currency: "USD" };
    await put("o1", { ...base, customer: "ann", order_date: "2024-12-01T10:00:00Z", lines: [[0, 2]] }, "2024-12-01T10:00:00Z");
    await put("o2", { ...base, customer: "ann", order_date: "2024-12-03T10:00:00Z", lines: [[0, 1], [1, 3]] }, "2024-12-03T10:00:00Z");
    await put("o3", { ...base, customer: "bob", order_date: "2024-12-02T10:00:00Z", lines: [[1, 1]] }, "2024-12-02T10:00:00Z");
    await put("o4", { ...base, customer: "bob", order_date: "2024-12-04T10:00:00Z", lines: [[1, 5]], is_test_order: true }, "2024-12-04T10:00:00Z");
    await put("o5", { ...base, customer: "cid", order_date: "2024-12-05T10:00:00Z", lines: [[0, 4]], currency: "EUR" }, "2024-12-05T10:00:00Z");
    // Later changes: a cancellation, a status change with new quantities, an order moved to another customer.
    await put("o2", { ...orders.get("o2")!, order_status: "confirmed", lines: [[0, 2], [1, 1]] }, "2024-12-03T11:00:00Z");
    await put("o1", { ...orders.get("o1")!, order_status: "cancelled", payment_status: "refunded" }, "2024-12-01T12:00:00Z");
    await put("o3", { ...orders.get("o3")!, customer: "cid", order_status: "fulfilled" }, "2024-12-02T12:00:00Z");
    await hub.drain();
  });

  const records = (): DynamoDBRecord[] => capturedBatches.flatMap((batch) => batch.Records).filter((record) => record.dynamodb?.Keys?.sk?.S === "ORDER");

  function expectedStorefront() {
    const all = [...orders.values()];
    const usdSales = all.filter((order) => isSale(order) && order.currency === "USD");
    const eurSales = all.filter((order) => isSale(order) && order.currency === "EUR");
    return {
      order_count: all.length,
      status_pending: all.filter((order) => order.order_status === "pending").length,
      status_cancelled: all.filter((order) => order.order_status === "cancelled").length,
      payment_paid: all.filter((order) => order.payment_status === "paid").length,
      revenue_minor: { USD: usdSales.reduce((sum, order) => sum + totalCents(order), 0), EUR: eurSales.reduce((sum, order) => sum + totalCents(order), 0) },
      sale_count: { USD: usdSales.length, EUR: eurSales.length },
    };
  }

  function expectedProduct(index: number) {
    const sales = [...orders.values()].filter((order) => isSale(order) && order.lines.some(([product]) => product === index));
    return {
      order_count: sales.length,
      total_quantity_sold: sales.reduce((sum, order) => sum + order.lines.filter(([product]) => product === index).reduce((total, [, quantity]) => total + quantity, 0), 0),
    };
  }

  function expectedCustomer(name: string) {
    const sales = [...orders.values()].filter((order) => order.customer === name && isSale(order) && order.currency === "USD").sort((a, b) => a.order_date.localeCompare(b.order_date));
    return {
      total_orders: sales.length,
      total_spent: cents(sales.reduce((sum, order) => sum + totalCents(order), 0)),
      first_order_date: sales[0] ? new Date(sales[0].order_date).toISOString() : null,
      last_order_date: sales.length > 0 ? new Date(sales[sales.length - 1]!.order_date).toISOString() : null,
    };
  }

  async function snapshot() {
    const counters = await getItem(`STOREFRONT#${storefrontId}`, "STATS#ORDERS");
    const products = await Promise.all(productIds.map((id) => getItem(`PRODUCT#${id}`, "STATS")));
    const customerViews = await Promise.all(customers.map(async ({ name }) => (await hub.call("GET", `/api/ecommerce/customers/${customerIdOf.get(name)}`)).body.customer));
    return {
      storefront: {
        order_count: counters.order_count,
        status_pending: counters.status_pending ?? 0,
        status_cancelled: counters.status_cancelled ?? 0,
        payment_paid: counters.payment_paid ?? 0,
        revenue_minor: counters.revenue_minor,
        sale_count: counters.sale_count,
      },
      products: products.map((item) => ({ order_count: item.order_count, total_quantity_sold: item.total_quantity_sold })),
      customers: customerViews.map(({ total_orders, total_spent, first_order_date, last_order_date }) => ({ total_orders, total_spent, first_order_date, last_order_date })),
    };
  }

  const expected = () => ({
    storefront: expectedStorefront(),
    products: [expectedProduct(0), expectedProduct(1)],
    customers: customers.map(({ name }) => expectedCustomer(name)),
  });

  async function deliver(list: DynamoDBRecord[], batchSize: number) {
    for (let start = 0; start < list.length; start += batchSize) {
      const batch = structuredClone(list.slice(start, start + batchSize));
      expect((await orderCounters({ Records: batch })).batchItemFailures).toEqual([]);
      expect((await customerStats({ Records: structuredClone(batch) })).batchItemFailures).toEqual([]);
    }
  }

  it("are exact after the captured batches are processed, and identical when they are processed again", async () => {
    expect(records().length).toBeGreaterThanOrEqual(8);
    expect((await snapshot()).storefront.order_count).toBeUndefined();
    await deliver(records(), 100);
    const applied = await snapshot();
    expect(applied).toEqual(expected());
    await deliver(records(), 100);
    await deliver(records(), 3);
    expect(await snapshot()).toEqual(applied);
  });

  it("give the same customer statistics when events arrive in reverse order, one at a time", async () => {
    const before = await snapshot();
    for (const record of [...records()].reverse()) {
      expect((await customerStats({ Records: [structuredClone(record)] })).batchItemFailures).toEqual([]);
    }
    expect((await snapshot()).customers).toEqual(before.customers);
  });

  it("show a customer's recent orders newest first, the order moved away no longer among them", async () => {
    const bob = (await hub.call("GET", `/api/ecommerce/customers/${customerIdOf.get("bob")}`)).body.customer;
    expect(bob.recent_orders.map((order: { order_date: string }) => order.order_date)).toEqual(["2024-12-04T10:00:00.000Z"]);
    const cid = (await hub.call("GET", `/api/ecommerce/customers/${customerIdOf.get("cid")}`)).body.customer;
    expect(cid.recent_orders).toHaveLength(2);
    expect(cid.recent_orders[0]).toMatchObject({ order_date: "2024-12-05T10:00:00.000Z", currency: "EUR", total_amount: "50.00" });
  });
});
