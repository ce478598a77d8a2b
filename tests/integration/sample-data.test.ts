/**
 * The sample data loads through the API and the signed webhook endpoint, the
 * stream processors compute John Doe's statistics, and loading again changes
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { loadSampleDataInto } from "../../infra/tools/sample-data";

let hub: TestStack;

beforeAll(async () => {
  hub = await startTestStack();
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

describe("npm run seed", () => {
  it("loads the specification's sample data, with John Doe's statistics computed by the processors", async () => {
    const first = await loadSampleDataInto(hub.url);
    await hub.drain();
    const main = first.storefronts["SHOPIFY-MAIN"]!;
    expect(Object.keys(first.storefronts)).toEqual(["SHOPIFY-MAIN", "WOO-MAIN", "AMAZON-US"]);
    const woo = (await hub.call("GET", "/api/ecommerce/storefronts/WOO-MAIN")).body.storefront;
    expect(woo).toMatchObject({ storefront_name: "WooCommerce Store", connection_status: "disconnected", is_connected: false });

    const john = (await hub.call("GET", `/api/ecommerce/customers?storefront_id=${main}&email=john.doe@example.com`)).body.customers[0];
    expect(john).toMatchObject({ first_name: "John", last_name: "Doe", total_orders: 3, total_spent: "2499.97" });
    const orders = (await hub.call("GET", `/api/ecommerce/orders?storefront_id=${main}`)).body.orders;
    expect(orders.find((order: any) => order.external_order_number === "1001")).toMatchObject({ total_amount: "1418.99", fulfillment_status: "fulfilled", payment_status: "paid" });

    const products = (await hub.call("GET", `/api/ecommerce/products?storefront_id=${main}`)).body.products;
    expect(products.map((product: any) => [product.product_name, product.price]).sort()).toEqual([
      ["Ergonomic Office Chair", "299.99"],
      ["Executive Office Desk", "599.99"],
      ['Professional Laptop 15"', "1299.99"],
    ]);
    const methods = (await hub.call("GET", `/api/ecommerce/shipping/methods?storefront_id=${main}`)).body;
    expect(JSON.stringify(methods)).toContain("Next Day Delivery");
    const categories = (await hub.call("GET", `/api/ecommerce/categories?storefront_id=${main}`)).body.categories;
    expect(categories.find((category: any) => category.category_name === "Laptops").category_path).toContain("Electronics");

    const again = await loadSampleDataInto(hub.url);
    await hub.drain();
    expect(again.created).toBe(0);
    const johnAgain = (await hub.call("GET", `/api/ecommerce/customers?storefront_id=${main}&email=john.doe@example.com`)).body.customers[0];
    expect(johnAgain).toMatchObject({ total_orders: 3, total_spent: "2499.97", updated_at: john.updated_at });
  }, 120_000);

  it("npm run send-webhook signs a sample delivery for the seeded storefront; sending it again is a duplicate", async () => {
    const send = () => promisify(execFile)("npx", ["tsx", "infra/tools/send-webhook.ts", "events/shopify/orders-create.json", "--url", hub.url]);
    const first = await send();
    expect(first.stdout).toContain("-> 202");
    const again = await send();
    expect(again.stdout).toContain("-> 200");
    expect(again.stdout).toContain('"duplicate":true');
  }, 60_000);
});
