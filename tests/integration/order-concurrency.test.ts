/**
 * Many orders of one product by one customer at once: once the stream has
 * caught up, the product's stock and sales statistics, the customer's
 * statistics and the storefront's counters are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { productInput } from "../support/catalog-factories";
import { lineItemInput, orderInput } from "../support/order-factories";

const ORDERS = 60;
const CLIENTS = 16;

let hub: TestStack;

beforeAll(async () => {
  hub = await startTestStack();
});
afterAll(async () => {
  await hub?.stop();
});

async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await work(next++);
  }));
}

describe("concurrent orders", () => {
  it(`leave stock, sales, customer statistics and counters exact after ${ORDERS} orders from ${CLIENTS} clients`, { timeout: 90_000 }, async () => {
    const storefrontId = (await hub.createStorefront()).storefront_id;
    const product = (await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId, { inventory_quantity: 500 }) })).body.product;
    const orderIds: number[] = [];
    await inParallel(ORDERS, CLIENTS, async (index) => {
      const body = orderInput(storefrontId, {
        external_customer_id: "same-customer",
        customer_email: "same@example.com",
        shipping_amount: 0,
        tax_amount: 0,
        line_items: [lineItemInput({ external_product_id: product.external_product_id, quantity: 2, unit_price: "12.34", total_amount: "24.68" })],
        external_order_id: `concurrent-${index}`,
      });
      const response = await hub.call("POST", "/api/ecommerce/orders", { json: body });
      expect(response.status, response.text).toBe(201);
      orderIds.push(response.body.order.ecommerce_order_id);
    });
    await inParallel(ORDERS, CLIENTS, async (index) => {
      const response = await hub.call("POST", `/api/ecommerce/orders/${orderIds[index]}/fulfill`, { json: {} });
      expect(response.status, response.text).toBe(200);
    });
    await hub.drain(60_000);

    const details = (await hub.call("GET", `/api/ecommerce/products/${product.ecommerce_product_id}`)).body;
    expect(details).toMatchObject({ inventory_quantity: 500 - 2 * ORDERS, total_orders: ORDERS, total_quantity_sold: 2 * ORDERS });
    const order = (await hub.call("GET", `/api/ecommerce/orders/${orderIds[0]}`)).body.order;
    expect(new Set(await Promise.all(orderIds.slice(0, 5).map(async (id) => (await hub.call("GET", `/api/ecommerce/orders/${id}`)).body.order.ecommerce_customer_id))).size).toBe(1);
    // 60 × 24.68 = 1480.80
    expect(order.customer).toMatchObject({ total_orders: ORDERS, total_spent: "1480.80", average_order_value: "24.68" });
    const statistics = (await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}&limit=1`)).body.statistics;
    expect(statistics).toMatchObject({ total_orders: ORDERS, fulfilled_orders: ORDERS, total_revenue: "1480.80", average_order_value: "24.68" });
  });
});
