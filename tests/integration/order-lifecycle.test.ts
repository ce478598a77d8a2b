/**
 * Order lifecycle actions against the local stack: every transition, the
 * 409s of impossible ones, partial fulfilment, and stock following
 * fulfilment and restock through the inventory processor.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { productInput, variantInput } from "../support/catalog-factories";
import { lineItemInput, orderInput } from "../support/order-factories";

let hub: TestStack;
let storefrontId: number;

beforeAll(async () => {
  hub = await startTestStack();
  storefrontId = (await hub.createStorefront()).storefront_id;
});
afterAll(async () => {
  await hub?.stop();
});

async function newProduct(overrides: Record<string, unknown> = {}) {
  const response = await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId, overrides) });
  expect(response.status, response.text).toBe(201);
  return response.body.product as { ecommerce_product_id: number; external_product_id: string };
}

async function newOrder(lines: Record<string, unknown>[], overrides: Record<string, unknown> = {}) {
  const response = await hub.call("POST", "/api/ecommerce/orders", { json: orderInput(storefrontId, { line_items: lines.map((line) => lineItemInput(line)), ...overrides }) });
  expect(response.status, response.text).toBe(201);
  return response.body.order as { ecommerce_order_id: number; items: { order_item_id: number }[] };
}

const act = (orderId: number, action: string, json?: unknown) => hub.call("POST", `/api/ecommerce/orders/${orderId}/${action}`, { json });
const stockOf = async (productId: number) => (await hub.call("GET", `/api/ecommerce/products/${productId}`)).body.inventory_quantity as number;

describe("transitions", () => {
  it("confirms a pending order once; a second confirm is a 409 naming both statuses", async () => {
    const order = await newOrder([{}]);
    const confirmed = await act(order.ecommerce_order_id, "confirm");
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.order.order_status).toBe("confirmed");
    const again = await act(order.ecommerce_order_id, "confirm");
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "invalid_transition", details: { current_status: "confirmed", requested_status: "confirmed" } });
  });

  it("refuses to fulfil or refund a cancelled order, and to cancel a fulfilled one", async () => {
    const cancelled = await newOrder([{}]);
    expect((await act(cancelled.ecommerce_order_id, "cancel", {})).body.order).toMatchObject({ order_status: "cancelled", cancelled_at: expect.any(String) });
    const fulfil = await act(cancelled.ecommerce_order_id, "fulfill", {});
    expect(fulfil.status).toBe(409);
    expect(fulfil.body.error.details).toEqual({ current_status: "cancelled", requested_status: "fulfilled" });
    expect((await act(cancelled.ecommerce_order_id, "refund", {})).status).toBe(409);
    expect((await act(cancelled.ecommerce_order_id, "cancel", {})).status).toBe(409);

    const fulfilled = await newOrder([{}]);
    expect((await act(fulfilled.ecommerce_order_id, "fulfill", {})).body.order.order_status).toBe("fulfilled");
    const cancel = await act(fulfilled.ecommerce_order_id, "cancel", {});
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.details).toEqual({ current_status: "fulfilled", requested_status: "cancelled" });
    expect((await act(fulfilled.ecommerce_order_id, "fulfill", {})).status).toBe(409);
  });

  it("refunds only confirmed, processing or fulfilled orders", async () => {
    const pending = await newOrder([{}]);
    expect((await act(pending.ecommerce_order_id, "refund", {})).body.error.details).toEqual({ current_status: "pending", requested_status: "refunded" });
    expect((await act(pending.ecommerce_order_id, "confirm")).status).toBe(200);
    const refunded = await act(pending.ecommerce_order_id, "refund", {});
    expect(refunded.body.order).toMatchObject({ order_status: "refunded", payment_status: "refunded" });
    expect((await act(pending.ecommerce_order_id, "refund", {})).status).toBe(409);
  });

  it("answers 404 for an unknown order and 403 for another storefront's key", async () => {
    expect((await act(99_999_999, "confirm")).status).toBe(404);
    const order = await newOrder([{}]);
    const limited = await hub.issueKey("operator", [storefrontId + 1000]);
    expect((await hub.call("POST", `/api/ecommerce/orders/${order.ecommerce_order_id}/confirm`, { key: limited.token })).status).toBe(403);
  });
});

describe("fulfilment and stock", () => {
  it("fulfils chosen items and quantities with carrier and tracking, then the rest; stock follows once", async () => {
    const product = await newProduct({ inventory_quantity: 20 });
    const order = await newOrder([
      { external_product_id: product.external_product_id, quantity: 3 },
      { external_product_id: product.external_product_id, quantity: 2 },
    ]);
    const [first, second] = order.items;
    const partial = await act(order.ecommerce_order_id, "fulfill", {
      items: [{ order_item_id: first!.order_item_id, quantity: 2 }],
      shipping_carrier: "FedEx",
      tracking_number: "7946 1234 5678",
      tracking_url: "https://www.fedex.com/fedextrack/?trknbr=794612345678",
    });
    expect(partial.status, partial.text).toBe(200);
    expect(partial.body.order).toMatchObject({ order_status: "processing", fulfillment_status: "partially_fulfilled", shipping_carrier: "FedEx", tracking_number: "7946 1234 5678", fulfilled_at: null });
    expect(partial.body.order.items.map((item: { fulfilled_quantity: number; fulfillment_status: string }) => [item.fulfilled_quantity, item.fulfillment_status])).toEqual([
      [2, "partially_fulfilled"],
      [0, "unfulfilled"],
    ]);

    const tooMany = await act(order.ecommerce_order_id, "fulfill", { items: [{ order_item_id: first!.order_item_id, quantity: 2 }] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details).toEqual([{ field: "body.items.0.quantity", message: "must be at most 1, the quantity not yet fulfilled" }]);
    const unknownItem = await act(order.ecommerce_order_id, "fulfill", { items: [{ order_item_id: second!.order_item_id + 1000, quantity: 1 }] });
    expect(unknownItem.body.error.details[0].field).toBe("body.items.0.order_item_id");

    await hub.drain();
    expect(await stockOf(product.ecommerce_product_id)).toBe(18);

    const rest = await act(order.ecommerce_order_id, "fulfill", {});
    expect(rest.body.order).toMatchObject({ order_status: "fulfilled", fulfillment_status: "fulfilled", shipping_carrier: "FedEx", fulfilled_at: expect.any(String) });
    await hub.drain();
    expect(await stockOf(product.ecommerce_product_id)).toBe(15);

    // A refund with restock gives every fulfilled unit back; a second refund is refused and changes nothing.
    expect((await act(order.ecommerce_order_id, "refund", { restock: true })).status).toBe(200);
    await hub.drain();
    expect(await stockOf(product.ecommerce_product_id)).toBe(20);
  });

  it("moves a variant's stock and its product's together", async () => {
    const product = await newProduct();
    const variant = (await hub.call("POST", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`, { json: variantInput({ inventory_quantity: 7 }) })).body.variant;
    const order = await newOrder([{ external_product_id: product.external_product_id, external_variant_id: variant.external_variant_id, quantity: 4 }]);
    expect((await act(order.ecommerce_order_id, "fulfill", {})).status).toBe(200);
    await hub.drain();
    const variants = (await hub.call("GET", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`)).body.variants;
    expect(variants[0].inventory_quantity).toBe(3);
    expect(await stockOf(product.ecommerce_product_id)).toBe(3);
  });

  it("cancelling without restock keeps the stock taken; with restock gives it back", async () => {
    const product = await newProduct({ inventory_quantity: 10 });
    const kept = await newOrder([{ external_product_id: product.external_product_id, quantity: 4 }]);
    await act(kept.ecommerce_order_id, "fulfill", { items: [{ order_item_id: kept.items[0]!.order_item_id, quantity: 1 }] });
    await act(kept.ecommerce_order_id, "cancel", { restock: false });
    const returned = await newOrder([{ external_product_id: product.external_product_id, quantity: 4 }]);
    await act(returned.ecommerce_order_id, "fulfill", { items: [{ order_item_id: returned.items[0]!.order_item_id, quantity: 3 }] });
    await act(returned.ecommerce_order_id, "cancel", { restock: true });
    await hub.drain();
    expect(await stockOf(product.ecommerce_product_id)).toBe(9);
  });

  it("never takes tracked stock below zero: the order is flagged oversold and counted; backorders may go below", async () => {
    const scarce = await newProduct({ inventory_quantity: 2, allow_backorder: false });
    const order = await newOrder([{ external_product_id: scarce.external_product_id, quantity: 5 }]);
    await act(order.ecommerce_order_id, "fulfill", {});
    await hub.drain();
    expect(await stockOf(scarce.ecommerce_product_id)).toBe(2);
    expect((await hub.call("GET", `/api/ecommerce/orders/${order.ecommerce_order_id}`)).body.order.oversold).toBe(true);
    expect((await hub.call("GET", `/api/ecommerce/orders?storefront_id=${storefrontId}`)).body.statistics.oversold_orders).toBe(1);

    const backordered = await newProduct({ inventory_quantity: 2, allow_backorder: true });
    const backorder = await newOrder([{ external_product_id: backordered.external_product_id, quantity: 5 }]);
    await act(backorder.ecommerce_order_id, "fulfill", {});
    const untracked = await newProduct({ inventory_quantity: 0, inventory_tracked: false });
    const free = await newOrder([{ external_product_id: untracked.external_product_id, quantity: 5 }]);
    await act(free.ecommerce_order_id, "fulfill", {});
    await hub.drain();
    expect(await stockOf(backordered.ecommerce_product_id)).toBe(-3);
    expect((await hub.call("GET", `/api/ecommerce/orders/${backorder.ecommerce_order_id}`)).body.order.oversold).toBeUndefined();
    expect((await hub.call("GET", `/api/ecommerce/orders/${free.ecommerce_order_id}`)).body.order.oversold).toBeUndefined();
  });

  it("lets a variant go below zero when its product allows backorders", async () => {
    const product = await newProduct({ allow_backorder: true });
    const variant = (await hub.call("POST", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`, { json: variantInput({ inventory_quantity: 2 }) })).body.variant;
    const order = await newOrder([{ external_product_id: product.external_product_id, external_variant_id: variant.external_variant_id, quantity: 5 }]);
    await act(order.ecommerce_order_id, "fulfill", {});
    await hub.drain();
    const variants = (await hub.call("GET", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`)).body.variants;
    expect(variants[0].inventory_quantity).toBe(-3);
    expect(await stockOf(product.ecommerce_product_id)).toBe(-3);
    expect((await hub.call("GET", `/api/ecommerce/orders/${order.ecommerce_order_id}`)).body.order.oversold).toBeUndefined();
  });

  it("restocking an oversold item gives back only the units it took", async () => {
    const scarce = await newProduct({ inventory_quantity: 2, allow_backorder: false });
    const order = await newOrder([{ external_product_id: scarce.external_product_id, quantity: 5 }]);
    await act(order.ecommerce_order_id, "fulfill", {});
    await hub.drain();
    expect((await act(order.ecommerce_order_id, "refund", { restock: true })).status).toBe(200);
    await hub.drain();
    expect(await stockOf(scarce.ecommerce_product_id)).toBe(2);
  });

  it("a line naming a product with variants but no variant takes no stock, and its restock gives none back", async () => {
    const product = await newProduct();
    await hub.call("POST", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`, { json: variantInput({ inventory_quantity: 6 }) });
    await hub.call("POST", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`, { json: variantInput({ inventory_quantity: 4 }) });
    const order = await newOrder([{ external_product_id: product.external_product_id, quantity: 3 }]);
    await act(order.ecommerce_order_id, "fulfill", {});
    await hub.drain();
    expect(await stockOf(product.ecommerce_product_id)).toBe(10);
    await act(order.ecommerce_order_id, "refund", { restock: true });
    await hub.drain();
    expect(await stockOf(product.ecommerce_product_id)).toBe(10);
    const variants = (await hub.call("GET", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`)).body.variants;
    expect(variants.map((each: { inventory_quantity: number }) => each.inventory_quantity)).toEqual([6, 4]);
  });
});
