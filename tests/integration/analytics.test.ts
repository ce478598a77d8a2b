/**
 * Analytics and the three reports on the local stack. The fixture below is
 * imported through the API; every expected figure is computed here from the
 * fixture, with each order's calendar day in the storefront's time zone
 * written out by hand (America/New_York, UTC-5 in early March 2025).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { orderInput } from "../support/order-factories";
import { productInput } from "../support/catalog-factories";

let hub: TestStack;
let clock = new Date("2025-03-20T00:00:00Z");

interface FixtureOrder {
  ref: string;
  customer: string;
  order_date: string;
  /** The order's day in New York, by hand. */
  day: string;
  currency: "USD" | "CAD";
  /** [product index, quantity, unit price in cents] */
  lines: [number, number, number][];
  order_status?: string;
  payment_status?: string;
  fulfillment_status?: string;
  is_test_order?: boolean;
  cart?: string;
}

const ORDERS: FixtureOrder[] = [
  { ref: "o1", customer: "alice", order_date: "2025-03-01T15:00:00Z", day: "2025-03-01", currency: "USD", lines: [[0, 2, 10000]], fulfillment_status: "fulfilled" },
  { ref: "o2", customer: "bob", order_date: "2025-03-02T04:30:00Z", day: "2025-03-01", currency: "USD", lines: [[1, 1, 5050]], payment_status: "pending" },
  { ref: "o3", customer: "alice", order_date: "2025-03-03T12:00:00Z", day: "2025-03-03", currency: "USD", lines: [[0, 1, 10000], [2, 3, 1000]] },
  { ref: "o4", customer: "carol", order_date: "2025-03-03T13:00:00Z", day: "2025-03-03", currency: "CAD", lines: [[1, 2, 2000]] },
  { ref: "o5", customer: "dave", order_date: "2025-03-05T12:00:00Z", day: "2025-03-05", currency: "USD", lines: [[2, 1, 1000]], order_status: "cancelled", payment_status: "voided" },
  { ref: "o6", customer: "erin", order_date: "2025-03-06T12:00:00Z", day: "2025-03-06", currency: "USD", lines: [[0, 1, 10000]], is_test_order: true },
  { ref: "o7", customer: "frank", order_date: "2025-02-25T12:00:00Z", day: "2025-02-25", currency: "USD", lines: [[1, 2, 5050]] },
  { ref: "o8", customer: "gina", order_date: "2025-03-08T03:00:00Z", day: "2025-03-07", currency: "USD", lines: [[2, 2, 1000]] },
  { ref: "o9", customer: "hank", order_date: "2025-03-01T04:00:00Z", day: "2025-02-28", currency: "USD", lines: [[0, 1, 10000]] },
];
/** o2 is imported again later: paid and fulfilled. */
const O2_UPDATE = { payment_status: "paid", fulfillment_status: "fulfilled" };
/** The order that completes cart c1 after its recovery email. */
const O10: FixtureOrder = { ref: "o10", customer: "ivan", order_date: "2025-03-04T16:00:00Z", day: "2025-03-04", currency: "USD", lines: [[1, 1, 5050]], cart: "c1" };

const FROM = "2025-03-01";
const TO = "2025-03-07";
const PREVIOUS_FROM = "2025-02-22";

const cents = (value: number) => `${value < 0 ? "-" : ""}${Math.floor(Math.abs(value) / 100)}.${String(Math.abs(value) % 100).padStart(2, "0")}`;
const totalOf = (order: FixtureOrder) => order.lines.reduce((sum, [, quantity, price]) => sum + quantity * price, 0);
const finalOf = (order: FixtureOrder): FixtureOrder => (order.ref === "o2" ? { ...order, ...O2_UPDATE } : order);
const isSale = (order: FixtureOrder) =>
  !order.is_test_order && !["cancelled", "refunded"].includes(order.order_status ?? "pending") && !["refunded", "voided"].includes(order.payment_status ?? "paid");
const inRange = (day: string, from: string, to: string) => day >= from && day <= to;
const percent = (part: number, whole: number) => (whole === 0 ? "0.00" : ((part * 100) / whole).toFixed(2));

const suffix = randomUUID().slice(0, 8);
const emailOf = (customer: string) => `${customer}-${suffix}@example.com`;

let storefrontId: number;
const products: { id: number; externalId: string; name: string; erpSku: string }[] = [];
const cartTokens = new Map<string, string>();

async function importOrder(order: FixtureOrder, overrides: Record<string, unknown> = {}) {
  const total = cents(totalOf(order));
  const body = orderInput(storefrontId, {
    external_order_id: `${order.ref}-${suffix}`,
    customer_email: emailOf(order.customer),
    order_date: order.order_date,
    currency: order.currency,
    line_items: order.lines.map(([index, quantity, price], line) => ({
      external_item_id: `${order.ref}-line-${line}`,
      external_product_id: products[index]!.externalId,
      product_name: products[index]!.name,
      quantity,
      unit_price: cents(price),
      total_amount: cents(quantity * price),
    })),
    subtotal_amount: total,
    total_amount: total,
    shipping_amount: 0,
    tax_amount: 0,
    order_status: order.order_status ?? "pending",
    payment_status: order.payment_status ?? "paid",
    fulfillment_status: order.fulfillment_status ?? "unfulfilled",
    is_test_order: order.is_test_order ?? false,
    ...(order.cart ? { cart_token: cartTokens.get(order.cart) } : {}),
    ...overrides,
  });
  const response = await hub.call("POST", "/api/ecommerce/orders", { json: body, key: hub.keys.operator });
  expect([200, 201], response.text).toContain(response.status);
}

async function upsertCart(ref: string, body: Record<string, unknown>) {
  const token = cartTokens.get(ref) ?? `${ref}-${suffix}`;
  cartTokens.set(ref, token);
  const response = await hub.call("POST", "/api/ecommerce/carts", {
    key: hub.keys.operator,
    json: { storefront_id: storefrontId, cart_token: token, customer_email: emailOf(`shopper-${ref}`), buyer_accepts_marketing: true, currency: "USD", ...body },
  });
  expect([200, 201], response.text).toContain(response.status);
  return response.body.cart;
}
const cartLine = (quantity: number, cents: string) => [{ product_name: "Desk lamp", quantity, unit_price: cents }];

/** Carts: value in cents, created, abandoned (created + 24 h, by the scheduled sweep) and converted days in New York. */
const CARTS = {
  c1: { value: 12000, created: "2025-03-02T15:00:00Z", abandonedDay: "2025-03-03", convertedDay: "2025-03-04", emailed: true, recovered: true },
  c2: { value: 9050, created: "2025-03-04T12:00:00Z", abandonedDay: "2025-03-05", convertedDay: null, emailed: false, recovered: false },
  c3: { value: 3000, created: "2025-03-06T10:00:00Z", abandonedDay: null, convertedDay: "2025-03-06", emailed: false, recovered: false },
  c4: { value: 1000, created: "2025-02-24T10:00:00Z", abandonedDay: "2025-02-25", convertedDay: null, emailed: false, recovered: false },
};

beforeAll(async () => {
  hub = await startTestStack({ clock: () => clock });
  const storefront = await hub.createStorefront({ storefront_code: `AN-${suffix}`, default_currency: "USD", timezone: "America/New_York" });
  storefrontId = storefront.storefront_id;
  const catalog = [
    { name: "Professional Laptop 15\"", erp: "LAP-001", tracked: false, quantity: 100, published: true },
    { name: "Executive Office Desk", erp: "DESK-001", tracked: false, quantity: 100, published: true },
    { name: "Ergonomic Office Chair", erp: "CHAIR-001", tracked: false, quantity: 100, published: true },
    { name: "Sold-out Lamp", erp: "LAMP-001", tracked: true, quantity: 0, published: true },
    { name: "Last Monitors", erp: "MON-001", tracked: true, quantity: 5, published: false },
  ];
  for (const entry of catalog) {
    const body = productInput(storefrontId, { product_name: entry.name, erp_sku: entry.erp, inventory_tracked: entry.tracked, inventory_quantity: entry.quantity, low_stock_threshold: 10, is_published: entry.published });
    const response = await hub.call("POST", "/api/ecommerce/products", { json: body, key: hub.keys.operator });
    expect(response.status, response.text).toBe(201);
    products.push({ id: response.body.product.ecommerce_product_id, externalId: String(body.external_product_id), name: entry.name, erpSku: entry.erp });
  }

  for (const [ref, cart] of Object.entries(CARTS)) await upsertCart(ref, { created_at: cart.created, updated_at: cart.created, cart_items: cartLine(cart.value === 9050 ? 2 : 1, cents(cart.value === 9050 ? 4525 : cart.value)) });
  // c3 completes the same day, before it could be abandoned.
  await upsertCart("c3", { created_at: CARTS.c3.created, updated_at: "2025-03-06T11:00:00Z", completed_at: "2025-03-06T11:00:00Z", cart_items: cartLine(1, cents(CARTS.c3.value)) });
  await hub.scheduler.fire("cart-schedule");
  await hub.drain();
  // c1 gets a recovery email, then its checkout completes and its order arrives.
  const c1 = (await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${storefrontId}`)).body.carts.find((cart: any) => cart.cart_token === cartTokens.get("c1"));
  const recover = await hub.call("POST", "/api/ecommerce/carts/abandoned/recover", { key: hub.keys.operator, json: { cart_ids: [c1.cart_id] } });
  expect(recover.status, recover.text).toBe(202);
  await hub.drain();
  await upsertCart("c1", { created_at: CARTS.c1.created, updated_at: "2025-03-04T15:00:00Z", completed_at: "2025-03-04T15:00:00Z", cart_items: cartLine(1, cents(CARTS.c1.value)) });

  for (const order of ORDERS) await importOrder(order);
  await importOrder(O10);
  await hub.drain();
  await importOrder(ORDERS[1]!, { ...O2_UPDATE, updated_at: "2025-03-05T00:00:00Z" });
  await hub.drain();
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

async function analytics(query: string) {
  const response = await hub.call("GET", `/api/ecommerce/analytics?${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

describe("GET /api/ecommerce/analytics", () => {
  const all = [...ORDERS, O10].map(finalOf);
  const current = all.filter((order) => !order.is_test_order && inRange(order.day, FROM, TO));
  const previous = all.filter((order) => !order.is_test_order && inRange(order.day, PREVIOUS_FROM, "2025-02-28"));
  const usdSales = (orders: FixtureOrder[]) => orders.filter((order) => isSale(order) && order.currency === "USD");
  const revenue = (orders: FixtureOrder[]) => usdSales(orders).reduce((sum, order) => sum + totalOf(order), 0);

  it("answers every block of the contract from the aggregates, in the storefront's days and default currency", async () => {
    const body = await analytics(`storefront_id=${storefrontId}&from_date=${FROM}&to_date=${TO}`);
    const currentRevenue = revenue(current);
    const previousRevenue = revenue(previous);
    const cartsCreated = Object.values(CARTS).filter((cart) => inRange(cart.created.slice(0, 10), FROM, TO)).length;
    const cartsConverted = Object.values(CARTS).filter((cart) => cart.convertedDay && inRange(cart.convertedDay, FROM, TO)).length;
    expect(body.sales_metrics).toEqual({
      total_orders: current.length,
      total_revenue: cents(currentRevenue),
      average_order_value: cents(Math.round(currentRevenue / usdSales(current).length)),
      unique_customers: new Set(current.filter(isSale).map((order) => order.customer)).size,
      unique_customers_estimated: false,
      fulfilled_orders: current.filter((order) => order.fulfillment_status === "fulfilled").length,
      cancelled_orders: current.filter((order) => order.order_status === "cancelled").length,
      paid_orders: current.filter((order) => (order.payment_status ?? "paid") === "paid").length,
      pending_payments: current.filter((order) => order.payment_status === "pending").length,
      conversion_rate: percent(cartsConverted, cartsCreated),
      revenue_growth: (((currentRevenue - previousRevenue) * 100) / previousRevenue).toFixed(2),
    });
    // Figures spelled out once, so that a mistake shared by the code and the computation above shows.
    expect(body.sales_metrics).toMatchObject({ total_orders: 7, total_revenue: "451.00", unique_customers: 5, conversion_rate: "66.67", revenue_growth: "124.38" });
    expect(body.currency).toBe("USD");
    expect(body.revenue_by_currency).toEqual([
      { currency: "CAD", sales: 1, total_revenue: "40.00", average_order_value: "40.00", previous_revenue: "0.00", revenue_growth: null },
      { currency: "USD", sales: usdSales(current).length, total_revenue: cents(currentRevenue), average_order_value: body.sales_metrics.average_order_value, previous_revenue: cents(previousRevenue), revenue_growth: body.sales_metrics.revenue_growth },
    ]);
    expect(body.period).toEqual({ from_date: FROM, to_date: TO, previous_from_date: PREVIOUS_FROM, previous_to_date: "2025-02-28", time_zone: "America/New_York" });
  });

  it("gives every day of the period, zero days included", async () => {
    const body = await analytics(`storefront_id=${storefrontId}&from_date=${FROM}&to_date=${TO}`);
    const days = ["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"];
    expect(body.daily_trend).toEqual(
      days.map((date) => {
        const orders = current.filter((order) => order.day === date);
        return { date, order_count: orders.length, revenue: cents(revenue(orders)) };
      }),
    );
    expect(body.daily_trend.filter((day: any) => day.order_count === 0).map((day: any) => day.date)).toEqual(["2025-03-02", "2025-03-06"]);
  });

  it("ranks the top products by units sold, with revenue in the default currency", async () => {
    const body = await analytics(`storefront_id=${storefrontId}&from_date=${FROM}&to_date=${TO}`);
    const sales = products.map((product, index) => {
      const lines = current.filter(isSale).flatMap((order) => order.lines.filter(([line]) => line === index).map((line) => ({ order, line })));
      return {
        ecommerce_product_id: product.id,
        storefront_id: storefrontId,
        product_name: product.name,
        erp_sku: product.erpSku,
        total_sold: lines.reduce((sum, { line }) => sum + line[1], 0),
        total_revenue: cents(lines.filter(({ order }) => order.currency === "USD").reduce((sum, { line }) => sum + line[1] * line[2], 0)),
        order_count: new Set(lines.map(({ order }) => order.ref)).size,
      };
    });
    const expected = sales.filter((entry) => entry.total_sold > 0).sort((a, b) => b.total_sold - a.total_sold || Number(b.total_revenue) - Number(a.total_revenue));
    expect(body.top_products).toEqual(expected);
    expect(body.top_products.map((product: any) => product.erp_sku)).toEqual(["CHAIR-001", "DESK-001", "LAP-001"]);
  });

  it("reports the carts abandoned in the period and the catalog as it is", async () => {
    const body = await analytics(`storefront_id=${storefrontId}&from_date=${FROM}&to_date=${TO}`);
    const abandoned = Object.values(CARTS).filter((cart) => cart.abandonedDay && inRange(cart.abandonedDay, FROM, TO));
    const still = abandoned.filter((cart) => !cart.convertedDay);
    const recovered = abandoned.filter((cart) => cart.recovered);
    expect(body.abandoned_carts).toEqual({
      total_abandoned: abandoned.length,
      potential_revenue: cents(still.reduce((sum, cart) => sum + cart.value, 0)),
      average_cart_value: cents(Math.round(abandoned.reduce((sum, cart) => sum + cart.value, 0) / abandoned.length)),
      recovery_emails_sent: abandoned.filter((cart) => cart.emailed).length,
      recovered_carts: recovered.length,
      recovered_revenue: cents(totalOf(O10)),
      recovery_rate: percent(recovered.length, abandoned.length),
    });
    expect(body.inventory_status).toEqual({ total_products: 5, total_inventory: 305, out_of_stock_count: 1, low_stock_count: 1, published_count: 4 });
  });

  it("defaults to the 30 days up to today and refuses a bad period naming the field", async () => {
    const body = await analytics(`storefront_id=${storefrontId}`);
    expect(body.period.to_date).toBe(new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date()));
    expect(body.daily_trend).toHaveLength(31);
    const reversed = await hub.call("GET", `/api/ecommerce/analytics?from_date=${TO}&to_date=${FROM}`);
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.body)).toContain("from_date");
    const invalid = await hub.call("GET", "/api/ecommerce/analytics?from_date=2025-02-30");
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain("from_date");
  });
});

describe("the reports", () => {
  it("sales summary: the storefront's lifetime sales in its default currency", async () => {
    const response = await hub.call("GET", `/api/ecommerce/reports/sales-summary?storefront_id=${storefrontId}`);
    expect(response.status, response.text).toBe(200);
    const all = [...ORDERS, O10].map(finalOf);
    const usd = all.filter((order) => isSale(order) && order.currency === "USD");
    const revenueCents = usd.reduce((sum, order) => sum + totalOf(order), 0);
    expect(response.body.data).toEqual([
      {
        storefront_id: storefrontId,
        storefront_code: `AN-${suffix}`,
        storefront_name: expect.any(String),
        platform_type: "shopify",
        currency: "USD",
        total_orders: all.length,
        total_revenue: cents(revenueCents),
        average_order_value: cents(Math.round(revenueCents / usd.length)),
        // Customers with a sale in their own (the storefront's) currency: carol's only order is in CAD.
        unique_customers: new Set(usd.map((order) => order.customer)).size,
        fulfilled_orders: all.filter((order) => order.fulfillment_status === "fulfilled").length,
        cancelled_orders: all.filter((order) => order.order_status === "cancelled").length,
      },
    ]);
  });

  it("product sync status and abandoned-cart summary per storefront", async () => {
    const sync = await hub.call("GET", `/api/ecommerce/reports/product-sync-status?storefront_id=${storefrontId}`);
    expect(sync.status, sync.text).toBe(200);
    const row = sync.body.data[0];
    expect(row.total_products).toBe(5);
    expect(row.synced_products + row.pending_products + row.error_products + row.conflict_products).toBe(5);
    const carts = await hub.call("GET", `/api/ecommerce/reports/abandoned-carts-summary?storefront_id=${storefrontId}`);
    expect(carts.status, carts.text).toBe(200);
    const everAbandoned = Object.values(CARTS).filter((cart) => cart.abandonedDay);
    const still = everAbandoned.filter((cart) => !cart.convertedDay);
    expect(carts.body.data[0]).toMatchObject({
      storefront_id: storefrontId,
      currency: "USD",
      total_abandoned_carts: everAbandoned.length,
      potential_revenue: cents(still.reduce((sum, cart) => sum + cart.value, 0)),
      average_cart_value: cents(Math.round(still.reduce((sum, cart) => sum + cart.value, 0) / still.length)),
      recovery_emails_sent: 1,
      recovered_carts: 1,
      recovered_revenue: cents(totalOf(O10)),
      recovery_rate: percent(1, everAbandoned.length),
    });
  });
});
