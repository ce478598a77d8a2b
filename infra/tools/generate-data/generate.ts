/**
 * The generator: storefronts and catalog through the API, then customers,
 * orders and carts written straight into the table, each left alone when an
 * earlier run with the same seed wrote it already.
 */
import { parseWith } from "../../../shared/schemas/parse";
import { importOrderBody } from "../../../shared/schemas/order";
import { keyString } from "../../../shared/data/batch";
import { lineItem, orderItem, orderKey, orderLookupKey, reserveIds } from "../../../shared/data/orders";
import { cartLookupKey } from "../../../shared/data/carts";
import { toImportedOrder, type OrderRecord } from "../../../shared/domain/order-records";
import type { HubClient } from "../hub-client";
import { cartRecords } from "./cart-records";
import { planCarts } from "./carts";
import { prepareCatalogs, prepareStorefronts, sellableKey } from "./catalog";
import { ensureCustomers, type Shopper } from "./customers";
import { DAY_MS, iso } from "./local-time";
import { orderRecords, planOrders, type PlannedOrder } from "./orders";
import { CATALOG } from "./shape";
import type { GeneratedOrder, GenerateOptions, GenerationReport } from "./types";
import { existingItems, putAll } from "./writes";

/**
 * Generates the data into the hub that `hub` calls (storefronts and catalog)
 * and the table the shared data modules point at (TABLE_NAME and the
 * DynamoDB endpoint): the sample storefronts must be there (loadSampleData).
 */
export async function generateData(hub: HubClient, options: GenerateOptions): Promise<GenerationReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const { seed, days } = options;
  const now = (options.now ?? new Date()).getTime();

  const storefronts = await prepareStorefronts(hub);
  const catalogs = await prepareCatalogs(hub, storefronts);
  const sellableCount = [...catalogs.values()].reduce((sum, list) => sum + list.length, 0);
  log(`Catalog ready: ${storefronts.length} storefronts, ${sellableCount} sellable products and variants (${((Date.now() - started) / 1000).toFixed(1)} s).`);

  const planned = planOrders(seed, options.orders, days, now, storefronts, catalogs);

  // Orders already there (an earlier run with this seed) are left alone; their customers are known from them.
  const lookups = await existingItems(planned.map((order) => orderLookupKey(order.storefront.id, String(order.body.external_order_id))));
  const existingOrderId = (order: PlannedOrder) => lookups.get(keyString(orderLookupKey(order.storefront.id, String(order.body.external_order_id))))?.ecommerce_order_id as number | undefined;
  const existingOrders = await existingItems(planned.flatMap((order) => (existingOrderId(order) === undefined ? [] : [orderKey(existingOrderId(order)!)])));

  // Customers: the shoppers who ordered, created as the first import of each does.
  const shoppers = new Map<string, { shopper: Shopper; firstOrder: number; knownId?: number }>();
  for (const order of planned) {
    const key = `${order.storefront.id}#${order.shopper.index}`;
    const id = existingOrderId(order);
    const knownId = id === undefined ? undefined : (existingOrders.get(keyString(orderKey(id)))?.ecommerce_customer_id as number | undefined);
    const entry = shoppers.get(key) ?? shoppers.set(key, { shopper: order.shopper, firstOrder: order.at }).get(key)!;
    entry.knownId ??= knownId;
  }
  const customerIds = await ensureCustomers([...shoppers.values()]);
  const customersWritten = customerIds.written;
  log(`Customers: ${shoppers.size} (${customersWritten} new, ${((Date.now() - started) / 1000).toFixed(1)} s).`);

  const fresh = planned.filter((order) => existingOrderId(order) === undefined);
  const itemCount = fresh.reduce((sum, order) => sum + (order.body.line_items as unknown[]).length, 0);
  const [firstOrderId, firstItemId] = fresh.length === 0 ? [0, 0] : await Promise.all([reserveIds("order", fresh.length), reserveIds("order_item", itemCount)]);

  const catalogByExternalId = new Map(
    [...catalogs].flatMap(([storefrontId, sellables]) => sellables.map((sellable) => [sellableKey(storefrontId, sellable.external_product_id, sellable.external_variant_id), sellable] as const)),
  );
  const lineItems: Record<string, unknown>[] = [];
  const ordersAndLookups: Record<string, unknown>[] = [];
  const records = new Map<PlannedOrder, OrderRecord>();
  let nextItemId = firstItemId;
  fresh.forEach((plannedOrder, index) => {
    const customerId = customerIds.byKey.get(`${plannedOrder.storefront.id}#${plannedOrder.shopper.index}`)!;
    const { order, items } = orderRecords(plannedOrder, firstOrderId + index, nextItemId, customerId, catalogByExternalId);
    nextItemId += items.length;
    records.set(plannedOrder, order);
    lineItems.push(...items.map(lineItem));
    ordersAndLookups.push(orderItem(order), { ...orderLookupKey(order.storefront_id, order.external_order_id), entity: "order_lookup", ecommerce_order_id: order.ecommerce_order_id });
  });

  // Carts: the ones orders completed, abandoned ones, and the ones still being filled.
  const plannedCarts = planCarts(seed, planned, storefronts, catalogs, customerIds.byKey, now);
  const cartLookups = await existingItems(plannedCarts.map((cart) => cartLookupKey(cart.storefront.id, "CARTTOKEN", cart.token)));
  const freshCarts = plannedCarts.filter((cart) => !cartLookups.has(keyString(cartLookupKey(cart.storefront.id, "CARTTOKEN", cart.token))));
  const firstCartId = freshCarts.length === 0 ? 0 : await reserveIds("cart", freshCarts.length);
  const cartItems = freshCarts.flatMap((cart, index) => cartRecords(seed, cart, firstCartId + index, now).items);
  const byStatus: Record<string, number> = {};
  for (const cart of plannedCarts) byStatus[cart.status] = (byStatus[cart.status] ?? 0) + 1;

  // Carts before the orders that complete them (the conversion processor looks them up), line items before their
  // orders (the totals processor then finds them complete), each order beside its lookup.
  const writeStarted = Date.now();
  await putAll(cartItems);
  await putAll(lineItems);
  await putAll(ordersAndLookups, 24);
  const writeMs = Date.now() - writeStarted;
  const itemsWritten = cartItems.length + lineItems.length + ordersAndLookups.length;
  log(`Wrote ${fresh.length} orders (${lineItems.length} line items) and ${freshCarts.length} carts: ${itemsWritten} items in ${(writeMs / 1000).toFixed(1)} s.`);

  const orders: GeneratedOrder[] = planned.map((plannedOrder) => {
    const record = records.get(plannedOrder);
    // An order there already is reported as generated (what this run would have written).
    const fields = record ?? toImportedOrder(parseWith(importOrderBody, plannedOrder.body), { default_currency: plannedOrder.storefront.currency, timezone: plannedOrder.storefront.timeZone }).fields;
    return {
      storefront_id: plannedOrder.storefront.id,
      external_order_id: fields.external_order_id,
      ecommerce_order_id: record?.ecommerce_order_id ?? existingOrderId(plannedOrder)!,
      ecommerce_customer_id: customerIds.byKey.get(`${plannedOrder.storefront.id}#${plannedOrder.shopper.index}`)!,
      customer_email: fields.customer_email,
      order_date: fields.order_date,
      currency: fields.currency,
      total_minor: fields.total_minor,
      order_status: fields.order_status,
      payment_status: fields.payment_status,
      fulfillment_status: fields.fulfillment_status,
      is_test_order: fields.is_test_order,
      written: record !== undefined,
    };
  });
  return {
    seed,
    days,
    from: iso(now - days * DAY_MS),
    to: iso(now),
    storefronts: storefronts.map((storefront) => ({
      storefront_id: storefront.id,
      storefront_code: storefront.code,
      default_currency: storefront.currency,
      time_zone: storefront.timeZone,
      order_count_before: storefront.orderCount,
      orders_generated: planned.filter((order) => order.storefront === storefront).length,
      orders_written: fresh.filter((order) => order.storefront === storefront).length,
    })),
    catalog: { products: CATALOG.length * storefronts.length, sellable: sellableCount },
    customers: { generated: shoppers.size, written: customersWritten },
    orders,
    carts: { generated: plannedCarts.length, written: freshCarts.length, byStatus },
    itemsWritten,
    writeMs,
    ordersPerSecond: writeMs > 0 ? Math.round((fresh.length * 1000) / writeMs) : 0,
    totalMs: Date.now() - started,
  };
}
