/**
 * The inventory processor under at-least-once delivery: the local stack
 * captures the order item records instead of running the processor, and the
 * test hands those real records to it twice and cut into other batches.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DynamoDBRecord } from "aws-lambda";
import { functions, queues } from "../../infra/wiring";
import { handler as inventory } from "../../functions/streams/inventory";
import { capturedBatches } from "../support/catalog-stream-capture";
import { startTestStack, type TestStack } from "../support/test-stack";
import { productInput } from "../support/catalog-factories";
import { lineItemInput, orderInput } from "../support/order-factories";

let hub: TestStack;

beforeAll(async () => {
  const captured = functions.map((fn) => (fn.name === "inventory" ? { ...fn, entry: "tests/support/catalog-stream-capture.ts" } : fn));
  hub = await startTestStack({ wiring: { functions: captured, queues } });
});
afterAll(async () => {
  await hub?.stop();
});

describe("inventory processor", () => {
  it("takes each fulfilled unit and gives back each restocked one exactly once, however often records arrive", async () => {
    const storefrontId = (await hub.createStorefront()).storefront_id;
    const product = (await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId, { inventory_quantity: 100 }) })).body.product;
    const line = { external_product_id: product.external_product_id };
    const fulfilled: number[] = [];
    for (const [quantity, restock] of [[3, false], [5, true], [7, false]] as const) {
      const order = (await hub.call("POST", "/api/ecommerce/orders", { json: orderInput(storefrontId, { line_items: [lineItemInput({ ...line, quantity })] }) })).body.order;
      await hub.call("POST", `/api/ecommerce/orders/${order.ecommerce_order_id}/fulfill`, { json: { items: [{ order_item_id: order.items[0].order_item_id, quantity: quantity - 1 }] } });
      await hub.call("POST", `/api/ecommerce/orders/${order.ecommerce_order_id}/fulfill`, { json: {} });
      if (restock) await hub.call("POST", `/api/ecommerce/orders/${order.ecommerce_order_id}/refund`, { json: { restock: true } });
      else fulfilled.push(quantity);
    }
    await hub.drain();
    const records: DynamoDBRecord[] = capturedBatches.flatMap((batch) => batch.Records);
    expect(records.length).toBeGreaterThanOrEqual(7);
    const stock = async () => (await hub.call("GET", `/api/ecommerce/products/${product.ecommerce_product_id}`)).body.inventory_quantity;
    expect(await stock()).toBe(100);

    const deliver = async (batchSize: number) => {
      for (let start = 0; start < records.length; start += batchSize) {
        expect((await inventory({ Records: structuredClone(records.slice(start, start + batchSize)) })).batchItemFailures).toEqual([]);
      }
    };
    await deliver(100);
    // 100 − 3 − 7 (the order refunded with restock gave its 5 back)
    const expected = 100 - fulfilled.reduce((sum, quantity) => sum + quantity, 0);
    expect(await stock()).toBe(expected);
    await deliver(100);
    await deliver(2);
    expect(await stock()).toBe(expected);
  });
});
