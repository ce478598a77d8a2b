/**
 * The data generator (`npm run seed -- --orders N`): it writes orders and
 * carts straight into the table, and the stream processors must then count
 * them exactly as they count imports: the storefront counters, the
 * customers' statistics and every aggregate the reconciliation recomputes.
 * Running it again with the same seed writes nothing and changes no count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { loadSampleData, type HubClient } from "../../infra/tools/sample-data";
import { generateData, type GeneratedOrder, type GenerationReport } from "../../infra/tools/generate-data/index";
import { reconcileAggregates, describeDrift } from "../../shared/analytics/reconcile";
import { formatMinorUnits } from "../../shared/domain/money";

let hub: TestStack;
let client: HubClient;
const now = new Date("2025-06-30T15:00:00Z");
const options = { orders: 300, days: 30, seed: 7, now };

beforeAll(async () => {
  hub = await startTestStack();
  client = {
    call: async (method, path, body, headers) => {
      const response = await hub.call(method, path, typeof body === "string" ? { body, headers } : { json: body, headers });
      return { status: response.status, body: response.body };
    },
  };
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

async function orderCounts(): Promise<Map<number, number>> {
  const { body } = await hub.call("GET", "/api/ecommerce/storefronts?limit=200");
  return new Map((body.storefronts as any[]).map((storefront) => [storefront.storefront_id, storefront.order_count]));
}

/** A customer's statistics by the rule stated plainly: orders in their currency, not test, not cancelled or refunded, not refunded or voided payments. */
function expectedStats(orders: GeneratedOrder[], currency: string) {
  const sales = orders.filter(
    (order) => !order.is_test_order && order.currency === currency && !["cancelled", "refunded"].includes(order.order_status) && !["refunded", "voided"].includes(order.payment_status),
  );
  return { total_orders: sales.length, total_spent: formatMinorUnits(sales.reduce((sum, order) => sum + order.total_minor, 0), currency) };
}

async function expectNoDrift() {
  const report = await reconcileAggregates();
  expect(report.drifts.map(describeDrift)).toEqual([]);
  return report;
}

describe("the data generator", () => {
  let first: GenerationReport;
  let countsAfterFirst: Map<number, number>;

  it("writes orders the processors count exactly as imports: storefront counters, customer statistics, every aggregate", async () => {
    await loadSampleData(client);
    await hub.drain();
    const before = await orderCounts();

    first = await generateData(client, options);
    await hub.drain(60_000);
    countsAfterFirst = await orderCounts();

    expect(first.orders).toHaveLength(300);
    expect(first.orders.every((order) => order.written)).toBe(true);
    expect(first.storefronts.map((storefront) => storefront.storefront_code)).toEqual(["SHOPIFY-MAIN", "WOO-MAIN", "AMAZON-US", "SHOPIFY-EU"]);
    for (const storefront of first.storefronts) {
      expect(storefront.orders_written, storefront.storefront_code).toBe(first.orders.filter((order) => order.storefront_id === storefront.storefront_id).length);
      expect(storefront.orders_written, storefront.storefront_code).toBeGreaterThan(0);
      expect(countsAfterFirst.get(storefront.storefront_id), storefront.storefront_code).toBe((before.get(storefront.storefront_id) ?? 0) + storefront.orders_written);
    }

    // Several currencies, and every kind of outcome, as the API lists them.
    expect(new Set(first.orders.map((order) => order.currency))).toEqual(new Set(["USD", "CAD", "GBP", "EUR"]));
    const from = new Date(now.getTime() - options.days * 86_400_000).toISOString();
    expect(first.orders.every((order) => order.order_date >= from && order.order_date < now.toISOString())).toBe(true);
    const eu = first.storefronts.find((storefront) => storefront.storefront_code === "SHOPIFY-EU")!;
    expect(eu).toMatchObject({ default_currency: "EUR", time_zone: "Europe/Berlin" });
    for (const [field, status] of [["order_status", "cancelled"], ["order_status", "refunded"], ["payment_status", "partially_refunded"], ["order_status", "fulfilled"], ["payment_status", "pending"]] as const) {
      const generated = first.orders.filter((order) => order[field] === status);
      expect(generated.length, status).toBeGreaterThan(0);
      const listed = [];
      for (const storefront of first.storefronts) {
        let cursor: string | null = null;
        do {
          const path: string = `/api/ecommerce/orders?storefront_id=${storefront.storefront_id}&${field}=${status}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
          const { body } = await hub.call("GET", path);
          listed.push(...(body.orders as any[]).filter((order) => order.external_order_id.startsWith("gen-")));
          cursor = body.next_cursor ?? null;
        } while (cursor);
      }
      expect(listed.map((order) => order.ecommerce_order_id).sort(), status).toEqual(generated.map((order) => order.ecommerce_order_id).sort());
    }
    const refunded = first.orders.find((order) => order.order_status === "refunded")!;
    const shown = (await hub.call("GET", `/api/ecommerce/orders/${refunded.ecommerce_order_id}`)).body.order;
    expect(shown).toMatchObject({ order_status: "refunded", payment_status: "refunded", currency: refunded.currency, total_amount: formatMinorUnits(refunded.total_minor, refunded.currency) });
    expect(shown.items.length).toBeGreaterThan(0);

    // Every customer's statistics, as the customer-stats processor computed them.
    const byCustomer = new Map<number, GeneratedOrder[]>();
    for (const order of first.orders) byCustomer.set(order.ecommerce_customer_id, [...(byCustomer.get(order.ecommerce_customer_id) ?? []), order]);
    expect(byCustomer.size).toBe(first.customers.generated);
    expect([...byCustomer.values()].some((orders) => orders.length >= 3)).toBe(true);
    for (const [id, orders] of byCustomer) {
      const customer = (await hub.call("GET", `/api/ecommerce/customers/${id}`)).body.customer;
      expect(customer.email).toBe(orders[0]!.customer_email);
      expect({ total_orders: customer.total_orders, total_spent: customer.total_spent }, `customer ${id}`).toEqual(expectedStats(orders, customer.currency));
    }

    // Carts: the recovered ones were linked to their orders by the conversion processor.
    expect(first.carts.byStatus).toMatchObject({ active: expect.any(Number), abandoned: expect.any(Number), recovered: expect.any(Number), converted: expect.any(Number) });
    let recovered = 0;
    for (const storefront of first.storefronts) {
      const { body } = await hub.call("GET", `/api/ecommerce/carts/abandoned?storefront_id=${storefront.storefront_id}`);
      recovered += body.statistics.recovered_carts;
    }
    expect(recovered).toBe(first.carts.byStatus.recovered);

    const reconciled = await expectNoDrift();
    expect(reconciled.sources.orders).toBe(3 + 300);
    // About 25 s alone; several times that beside other files on a 2-core machine.
  }, 240_000);

  it("writes nothing the second time with the same seed, and no count moves", async () => {
    const second = await generateData(client, options);
    await hub.drain(60_000);

    expect(second.itemsWritten).toBe(0);
    expect(second.customers.written).toBe(0);
    expect(second.carts.written).toBe(0);
    expect(second.orders.every((order) => !order.written)).toBe(true);
    expect(second.orders.map((order) => [order.external_order_id, order.ecommerce_order_id, order.total_minor])).toEqual(first.orders.map((order) => [order.external_order_id, order.ecommerce_order_id, order.total_minor]));
    expect(await orderCounts()).toEqual(countsAfterFirst);
    await expectNoDrift();
  }, 60_000);
});
