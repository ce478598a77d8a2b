/**
 * Orders, as the import builds them: each planned as a platform would send
 * it, then turned into the records importOrder writes.
 */
import { parseWith } from "../../../shared/schemas/parse";
import { importOrderBody } from "../../../shared/schemas/order";
import { itemRecord, newOrderRecord, toImportedOrder, type OrderItemRecord } from "../../../shared/domain/order-records";
import { productSalesOf } from "../../../shared/domain/order-counters";
import { sellableKey, type Sellable, type Storefront } from "./catalog";
import { shopperOf, type Shopper } from "./customers";
import { DAY_MS, HOUR_MS, iso, orderClock } from "./local-time";
import { convertPrice, minorIn, money } from "./money";
import { hoursToOutcome, outcomeOf } from "./outcomes";
import { hashOf, randomFor } from "./random";
import { COUNTRY, PAYMENT_METHODS, SHIPPING, TAX_RATE } from "./shape";

export interface PlannedOrder {
  index: number;
  storefront: Storefront;
  shopper: Shopper;
  at: number;
  body: Record<string, unknown>;
  /** The cart it completes, if any: "converted" straight from checkout or "recovered" after recovery emails. */
  cart?: "converted" | "recovered";
}

/** Plans every order: storefront, time, shopper (a few loyal customers, many one-off ones); earliest first. */
export function planOrders(seed: number, count: number, days: number, now: number, storefronts: Storefront[], catalogs: Map<number, Sellable[]>): PlannedOrder[] {
  const clocks = new Map(storefronts.map((storefront) => [storefront.id, orderClock(storefront.timeZone, days, now)]));
  const poolSize = new Map(storefronts.map((storefront) => [storefront.id, Math.max(5, Math.round(count * storefront.share * 0.45))]));
  const planned: PlannedOrder[] = [];
  for (let index = 0; index < count; index++) {
    const random = randomFor(seed, "placement", index);
    const storefront = random.weighted(storefronts.map((each) => [each, each.share] as const));
    const shopperIndex = Math.floor(poolSize.get(storefront.id)! * random.next() ** 1.7);
    const shopper = shopperOf(seed, storefront, shopperIndex);
    planned.push(planOrder(seed, index, storefront, shopper, clocks.get(storefront.id)!(random), now, catalogs.get(storefront.id)!));
  }
  planned.sort((a, b) => a.at - b.at || a.index - b.index);
  return planned;
}

function planOrder(seed: number, index: number, storefront: Storefront, shopper: Shopper, at: number, now: number, catalog: Sellable[]): PlannedOrder {
  const random = randomFor(seed, "order", index);
  const currency = random.weighted(storefront.currencies);
  const outcome = outcomeOf((now - at) / DAY_MS, random);
  const isTest = random.chance(0.004);
  const lineCount = random.weighted([[1, 55], [2, 28], [3, 12], [4, 5]] as const);
  const taxRate = TAX_RATE[currency]!;
  const chosen = new Set<Sellable>();
  while (chosen.size < Math.min(lineCount, catalog.length)) chosen.add(random.weighted(catalog.map((sellable) => [sellable, sellable.weight] as const)));
  const lines = [...chosen].map((sellable, line) => {
    const quantity = random.weighted([[1, 80], [2, 15], [3, 5]] as const);
    const unit = convertPrice(sellable.price_minor, storefront.currency, currency);
    const discount = random.chance(0.1) ? Math.round(unit * quantity * 0.1) : 0;
    const total = unit * quantity - discount;
    return {
      external_item_id: `gen-${seed}-${index}-${line + 1}`,
      external_product_id: sellable.external_product_id,
      ...(sellable.external_variant_id ? { external_variant_id: sellable.external_variant_id } : {}),
      product_name: sellable.product_name,
      ...(sellable.variant_name ? { variant_name: sellable.variant_name } : {}),
      ...(sellable.sku ? { sku: sellable.sku } : {}),
      quantity,
      unit_price: money(unit, currency),
      discount_amount: money(discount, currency),
      tax_amount: money(Math.round(total * taxRate), currency),
      total_amount: money(total, currency),
      minor: { total, tax: Math.round(total * taxRate) },
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.minor.total, 0);
  const [method, usdRate] = random.weighted(SHIPPING.map(([name, rate, weight]) => [[name, rate] as const, weight] as const));
  const freeShipping = method === "Standard Shipping" && subtotal >= minorIn(100, currency);
  const shipping = freeShipping ? 0 : minorIn(usdRate, currency);
  const coupon = random.chance(0.08) ? Math.round(subtotal * 0.1) : 0;
  const tax = lines.reduce((sum, line) => sum + line.minor.tax, 0);
  const place = COUNTRY[currency]!;
  const [city, state, postal] = random.pick(place.cities);
  const address = { first_name: shopper.firstName, last_name: shopper.lastName, address_line1: `${random.int(1, 999)} ${random.pick(["Main", "Oak", "High", "Park", "Mill"])} Street`, city, ...(state ? { state_province: state } : {}), postal_code: postal, country: place.country };
  const [orderStatus, paymentStatus, fulfillmentStatus] = outcome;
  const paid = paymentStatus !== "pending" && paymentStatus !== "authorized";
  const paymentMethod = random.weighted(PAYMENT_METHODS);
  const lastChange = Math.min(now - 60_000, at + hoursToOutcome(outcome, random) * HOUR_MS + random.int(0, 3599) * 1000);
  const number = `${seed}${String(index + 1).padStart(6, "0")}`;
  const cart = isTest ? undefined : random.weighted([[undefined, 91], ["converted" as const, 6], ["recovered" as const, 3]] as const);
  return {
    index,
    storefront,
    shopper,
    at,
    cart,
    body: {
      storefront_id: storefront.id,
      external_order_id: `gen-${seed}-${index + 1}`,
      external_order_number: number,
      external_order_name: `#${number}`,
      external_customer_id: shopper.externalId,
      customer_email: shopper.email,
      customer_first_name: shopper.firstName,
      customer_last_name: shopper.lastName,
      customer_phone: shopper.phone,
      order_date: iso(at),
      processed_at: paid ? iso(at + random.int(5, 300) * 1000) : null,
      subtotal_amount: money(subtotal, currency),
      discount_amount: money(coupon, currency),
      shipping_amount: money(shipping, currency),
      tax_amount: money(tax, currency),
      total_amount: money(subtotal - coupon + shipping + tax, currency),
      currency,
      shipping_address: address,
      billing_address: address,
      order_status: orderStatus,
      payment_status: paymentStatus,
      fulfillment_status: fulfillmentStatus,
      shipping_method: method,
      payment_method: paymentMethod,
      payment_gateway: paymentMethod === "paypal" ? "paypal" : storefront.code.startsWith("SHOPIFY") ? "shopify_payments" : "stripe",
      payment_transaction_id: paid ? `txn_${hashOf(seed, "txn", index).toString(16)}` : undefined,
      is_test_order: isTest,
      tags: coupon > 0 ? ["coupon:WELCOME10"] : [],
      ...(cart ? { cart_token: cartTokenOf(seed, "order", index) } : {}),
      line_items: lines.map(({ minor: _minor, ...line }) => line),
      updated_at: iso(lastChange),
    },
  };
}

export const cartTokenOf = (seed: number, kind: string, index: number) => `gen-${seed}-${kind}-cart-${index + 1}`;

/** The order's records exactly as importOrder creates them: the import's conversion, its items, the order with its products' sales. */
export function orderRecords(planned: PlannedOrder, orderId: number, firstItemId: number, customerId: number, catalog: Map<string, Sellable>) {
  const input = parseWith(importOrderBody, planned.body);
  const imported = toImportedOrder(input, { default_currency: planned.storefront.currency, timezone: planned.storefront.timeZone });
  const items: OrderItemRecord[] = imported.items.map((item, index) => {
    const sellable = catalog.get(sellableKey(planned.storefront.id, item.external_product_id, item.external_variant_id));
    const link = { ecommerce_product_id: sellable?.ecommerce_product_id ?? null, variant_id: sellable?.variant_id ?? null };
    return itemRecord(orderId, firstItemId + index, item, link);
  });
  const importedAt = iso(Date.parse(String(planned.body.updated_at)) + 30_000);
  const order = newOrderRecord({ ecommerce_order_id: orderId, ecommerce_customer_id: customerId }, imported.fields, productSalesOf(items), importedAt);
  return { order, items };
}
