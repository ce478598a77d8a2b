/** Shipping methods CRUD and rate quotes at each boundary (amounts, weight, country, free-shipping threshold). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";

let hub: TestStack;
let storefrontId: number;

beforeAll(async () => {
  hub = await startTestStack();
  storefrontId = (await hub.createStorefront()).storefront_id;
});
afterAll(async () => {
  await hub?.stop();
});

async function createMethod(fields: Record<string, unknown>, storefront = storefrontId) {
  const response = await hub.call("POST", "/api/ecommerce/shipping/methods", { json: { storefront_id: storefront, ...fields } });
  expect(response.status, response.text).toBe(201);
  return response.body.shipping_method;
}

describe("shipping methods", () => {
  it("are created, read, listed, changed and deleted per storefront with exact amounts", async () => {
    const other = (await hub.createStorefront()).storefront_id;
    const created = await createMethod({ method_name: "Standard Shipping", method_code: "STD", carrier: "USPS", base_rate: 5.99, min_delivery_days: 5, max_delivery_days: 7 }, other);
    expect(created).toMatchObject({ base_rate: "5.99", rate_per_kg: "0.00", free_shipping_threshold: null, currency: "USD", is_active: true });
    expect((await hub.call("GET", `/api/ecommerce/shipping/methods/${created.shipping_method_id}`)).body.shipping_method).toEqual(created);
    const updated = await hub.call("PUT", `/api/ecommerce/shipping/methods/${created.shipping_method_id}`, { json: { base_rate: "6.49", max_weight: 30 } });
    expect(updated.body.shipping_method).toMatchObject({ base_rate: "6.49", max_weight: "30.000", method_name: "Standard Shipping" });
    const list = await hub.call("GET", `/api/ecommerce/shipping/methods?storefront_id=${other}`);
    expect(list.body.shipping_methods.map((method: { method_code: string }) => method.method_code)).toEqual(["STD"]);
    expect((await hub.call("DELETE", `/api/ecommerce/shipping/methods/${created.shipping_method_id}`)).status).toBe(200);
    expect((await hub.call("GET", `/api/ecommerce/shipping/methods/${created.shipping_method_id}`)).status).toBe(404);
  });

  it("refuse a day range the wrong way round and amounts with too many decimals, naming the field", async () => {
    const days = await hub.call("POST", "/api/ecommerce/shipping/methods", { json: { storefront_id: storefrontId, method_name: "X", method_code: "X", base_rate: 1, min_delivery_days: 5, max_delivery_days: 2 } });
    expect(days.body.error.details).toEqual([{ field: "body.min_delivery_days", message: "must not be more than max_delivery_days (2)" }]);
    const money = await hub.call("POST", "/api/ecommerce/shipping/methods", { json: { storefront_id: storefrontId, method_name: "X", method_code: "X", base_rate: "1.999" } });
    expect(money.body.error.details[0].field).toBe("body.base_rate");
  });
});

describe("rate quotes", () => {
  let express: number;
  beforeAll(async () => {
    // Express: 15.99 + 2.50/kg + 0.75/item, free from 500.00, for orders of 20.00 to 1000.00 up to 10 kg, US and CA only.
    express = (
      await createMethod({
        method_name: "Express Shipping", method_code: "EXP", carrier: "FedEx", base_rate: "15.99", rate_per_kg: "2.50", rate_per_item: "0.75",
        free_shipping_threshold: 500, min_order_amount: 20, max_order_amount: 1000, max_weight: 10, available_countries: ["us", "CA"], min_delivery_days: 2, max_delivery_days: 3,
      })
    ).shipping_method_id;
    await createMethod({ method_name: "Inactive", method_code: "OFF", base_rate: 1, is_active: false });
  });

  const quote = async (fields: Record<string, unknown>) => {
    const response = await hub.call("POST", "/api/ecommerce/shipping/rates", { json: { storefront_id: storefrontId, country: "US", order_amount: 100, weight: 2, item_count: 3, ...fields } });
    expect(response.status, response.text).toBe(200);
    return response.body.rates as { shipping_method_id: number; rate: string; is_free: boolean }[];
  };
  const expressRate = async (fields: Record<string, unknown>) => (await quote(fields)).find((rate) => rate.shipping_method_id === express);

  it("prices base + per kg + per item, exactly", async () => {
    // 15.99 + 2.50 × 2.000 + 0.75 × 3 = 23.24; 2.50 × 1.234 kg = 3.085 -> 3.09 (half up): 15.99 + 3.09 + 0.75 = 19.83
    expect(await expressRate({})).toMatchObject({ rate: "23.24", is_free: false });
    expect((await expressRate({ weight: "1.234", item_count: 1 }))?.rate).toBe("19.83");
  });

  it("ships free from the threshold on, not a cent below", async () => {
    expect(await expressRate({ order_amount: "500.00" })).toMatchObject({ rate: "0.00", is_free: true });
    expect(await expressRate({ order_amount: "499.99" })).toMatchObject({ rate: "23.24", is_free: false });
  });

  it("applies to orders from the minimum to the maximum amount inclusive", async () => {
    expect(await expressRate({ order_amount: "20.00" })).toBeDefined();
    expect(await expressRate({ order_amount: "19.99" })).toBeUndefined();
    expect(await expressRate({ order_amount: "1000.00" })).toBeDefined();
    expect(await expressRate({ order_amount: "1000.01" })).toBeUndefined();
  });

  it("applies up to the maximum weight inclusive, and only to its countries", async () => {
    expect(await expressRate({ weight: 10 })).toBeDefined();
    expect(await expressRate({ weight: "10.001" })).toBeUndefined();
    expect(await expressRate({ country: "ca" })).toBeDefined();
    expect(await expressRate({ country: "DE" })).toBeUndefined();
  });

  it("leaves inactive methods out and names bad input", async () => {
    expect((await quote({})).map((rate) => rate.shipping_method_id)).toEqual([express]);
    const bad = await hub.call("POST", "/api/ecommerce/shipping/rates", { json: { storefront_id: storefrontId, country: "USA", order_amount: "1.001" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((issue: { field: string }) => issue.field)).toEqual(["body.country"]);
  });
});
