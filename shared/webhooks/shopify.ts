/**
 * Shopify webhook payloads (Admin REST resource shapes) → hub actions.
 *
 * Order statuses (first rule that applies):
 *
 * | Shopify                                             | order_status |
 * | --------------------------------------------------- | ------------ |
 * | cancelled_at set                                     | cancelled    |
 * | financial_status refunded                            | refunded     |
 * | fulfillment_status fulfilled                         | fulfilled    |
 * | fulfillment_status partial                           | processing   |
 * | financial_status paid, partially_paid, partially_refunded | confirmed |
 * | anything else (pending, authorized, voided, expired) | pending      |
 *
 * "confirmed" and "processing" follow the hub's own lifecycle: confirm moves
 * a pending order to confirmed, a partial fulfilment leaves it processing.
 *
 * financial_status → payment_status is one to one, except expired
 * (an authorization that lapsed) → voided and unknown values → pending.
 * fulfillment_status: null or restocked → unfulfilled, partial →
 * partially_fulfilled, fulfilled → fulfilled.
 */
import type { Body, WebhookAction } from "./actions";
import {
  booleanOf,
  compact,
  idOf,
  ignore,
  multiplyAmount,
  nonNegative,
  payloadObject,
  recordOf,
  records,
  requireId,
  stockOf,
  splitTags,
  subtractAmounts,
  sumAmounts,
  textOf,
  type Json,
} from "./map-common";

const PAYMENT_STATUS: Record<string, string> = {
  pending: "pending",
  authorized: "authorized",
  partially_paid: "partially_paid",
  paid: "paid",
  partially_refunded: "partially_refunded",
  refunded: "refunded",
  voided: "voided",
  expired: "voided",
};

const FULFILLMENT_STATUS: Record<string, string> = { partial: "partially_fulfilled", fulfilled: "fulfilled" };

const ORDER_TOPICS = new Set(["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled"]);

export function mapShopify(topic: string, payload: unknown): WebhookAction[] {
  if (ORDER_TOPICS.has(topic)) return [{ type: "import_order", body: orderBody(payloadObject(payload, topic), topic) }];
  switch (topic) {
    case "refunds/create":
      return refundActions(payloadObject(payload, topic), topic);
    case "products/create":
    case "products/update":
      return [productAction(payloadObject(payload, topic), topic)];
    case "products/delete":
      return [{ type: "remove_product", external_product_id: requireId(payloadObject(payload, topic), "id", topic) }];
    case "inventory_levels/update":
      return inventoryActions(payloadObject(payload, topic), topic);
    case "customers/create":
    case "customers/update":
      return [{ type: "upsert_customer", body: customerBody(payloadObject(payload, topic), topic) }];
    case "checkouts/create":
    case "checkouts/update":
      return [{ type: "upsert_cart", body: cartBody(payloadObject(payload, topic), topic) }];
    default:
      return ignore(`Shopify topic ${topic} is not handled`);
  }
}

function orderStatus(order: Json): string {
  if (textOf(order.cancelled_at)) return "cancelled";
  if (order.financial_status === "refunded") return "refunded";
  if (order.fulfillment_status === "fulfilled") return "fulfilled";
  if (order.fulfillment_status === "partial") return "processing";
  if (["paid", "partially_paid", "partially_refunded"].includes(String(order.financial_status))) return "confirmed";
  return "pending";
}

export function addressOf(value: unknown): Body | null | undefined {
  const address = recordOf(value);
  if (!address) return value === null ? null : undefined;
  return {
    first_name: address.first_name ?? null,
    last_name: address.last_name ?? null,
    company: address.company ?? null,
    address_line1: address.address1 ?? null,
    address_line2: address.address2 ?? null,
    city: address.city ?? null,
    // Codes rather than names: what the generic format carries and what carriers expect.
    state_province: address.province_code ?? address.province ?? null,
    postal_code: address.zip ?? null,
    country: address.country_code ?? address.country ?? null,
    phone: address.phone ?? null,
  };
}

/** Every discount allocated to a line (line-level and order-level codes alike); total_discount is the older field. */
const lineDiscount = (line: Json): string | undefined =>
  Array.isArray(line.discount_allocations) ? sumAmounts(records(line.discount_allocations).map((a) => a.amount), 2) : textOf(line.total_discount);

const gramsToKg = (grams: unknown): number | undefined => (typeof grams === "number" && grams >= 0 ? grams / 1000 : undefined);

function lineItem(line: Json): Body {
  const quantity = typeof line.quantity === "number" ? line.quantity : 0;
  const discount = lineDiscount(line) ?? "0.00";
  const gross = multiplyAmount(line.price, quantity);
  return compact({
    external_item_id: idOf(line.id),
    external_product_id: idOf(line.product_id),
    external_variant_id: idOf(line.variant_id),
    product_name: line.title ?? line.name,
    variant_name: textOf(line.variant_title) ?? null,
    sku: textOf(line.sku) ?? null,
    quantity: line.quantity,
    unit_price: line.price,
    discount_amount: discount,
    tax_amount: sumAmounts(records(line.tax_lines).map((tax) => tax.price), 2),
    // The hub's line total is after the line's discounts; with taxes included the price already holds the tax.
    total_amount: gross === undefined ? undefined : subtractAmounts(gross, discount),
    weight: gramsToKg(line.grams),
    requires_shipping: booleanOf(line.requires_shipping),
    is_taxable: booleanOf(line.taxable),
  });
}

const activeShippingLines = (order: Json) => records(order.shipping_lines).filter((line) => line.is_removed !== true);

/**
 * The hub totals an order as Σ line totals (after line discounts) − discount
 * + shipping + tax. Shopify allocates its discounts to the lines (and to the
 * shipping lines), so the order-level discount is only what is left of
 * total_discounts after those allocations: usually nothing.
 */
function orderAmounts(order: Json, lines: Body[]): Body {
  const shippingLines = activeShippingLines(order);
  const shipping = shippingLines.length > 0
    ? sumAmounts(shippingLines.map((line) => line.discounted_price ?? line.price), 2)
    : textOf(recordOf(recordOf(order.total_shipping_price_set)?.shop_money)?.amount);
  const allocated = sumAmounts(
    [...lines.map((line) => line.discount_amount), ...shippingLines.flatMap((line) => records(line.discount_allocations).map((a) => a.amount))],
    2,
  );
  const subtotal = sumAmounts(lines.map((line) => line.total_amount), 2);
  return {
    subtotal_amount: subtotal,
    discount_amount: order.total_discounts === undefined ? undefined : nonNegative(subtractAmounts(order.total_discounts, allocated ?? "0")),
    shipping_amount: shipping,
    // With taxes included in prices, the tax is inside the line totals already; adding it again would overstate the total.
    tax_amount: order.taxes_included === true ? "0.00" : order.total_tax,
    total_amount: order.total_price,
  };
}

function orderBody(order: Json, topic: string): Body {
  const externalOrderId = requireId(order, "id", topic);
  const customer = recordOf(order.customer) ?? {};
  const billing = recordOf(order.billing_address) ?? {};
  const lines = records(order.line_items).map(lineItem);
  const gateways = Array.isArray(order.payment_gateway_names) ? order.payment_gateway_names : [];
  return compact({
    external_order_id: externalOrderId,
    external_order_number: order.order_number === undefined ? undefined : String(order.order_number),
    external_order_name: textOf(order.name),
    external_customer_id: idOf(customer.id),
    customer_email: textOf(order.email) ?? textOf(order.contact_email) ?? textOf(customer.email),
    customer_first_name: textOf(customer.first_name) ?? textOf(billing.first_name) ?? null,
    customer_last_name: textOf(customer.last_name) ?? textOf(billing.last_name) ?? null,
    customer_phone: textOf(customer.phone) ?? textOf(order.phone) ?? null,
    order_date: order.created_at,
    processed_at: textOf(order.processed_at) ?? null,
    ...orderAmounts(order, lines),
    currency: textOf(order.currency),
    shipping_address: addressOf(order.shipping_address),
    billing_address: addressOf(order.billing_address),
    order_status: orderStatus(order),
    payment_status: PAYMENT_STATUS[String(order.financial_status)] ?? "pending",
    fulfillment_status: FULFILLMENT_STATUS[String(order.fulfillment_status)] ?? "unfulfilled",
    shipping_method: textOf(activeShippingLines(order)[0]?.title) ?? null,
    payment_gateway: textOf(order.gateway) ?? textOf(gateways[0]) ?? null,
    is_test_order: booleanOf(order.test),
    requires_shipping: lines.length > 0 ? lines.some((line) => line.requires_shipping !== false) : undefined,
    customer_note: textOf(order.note) ?? null,
    cart_token: idOf(order.cart_token) ?? null,
    checkout_token: idOf(order.checkout_token) ?? null,
    tags: splitTags(order.tags),
    line_items: lines,
    updated_at: order.updated_at,
  });
}

/** Only money that left: successful refund transactions; parent_external_transaction_id lets the applier find the captured payment. */
function refundActions(refund: Json, topic: string): WebhookAction[] {
  requireId(refund, "id", topic);
  const externalOrderId = requireId(refund, "order_id", topic);
  const payments = records(refund.transactions)
    .filter((transaction) => transaction.kind === "refund" && transaction.status === "success")
    .map((transaction) =>
      compact({
        payment_type: "refund",
        amount: transaction.amount,
        currency: textOf(transaction.currency),
        external_payment_id: idOf(transaction.payment_id),
        external_transaction_id: idOf(transaction.id),
        parent_external_transaction_id: idOf(transaction.parent_id),
        payment_gateway: textOf(transaction.gateway) ?? null,
        payment_status: "succeeded",
        payment_date: textOf(transaction.processed_at) ?? textOf(transaction.created_at),
        refund_reason: textOf(refund.note) ?? null,
      }),
    );
  if (payments.length === 0) return ignore(`refund ${idOf(refund.id)} of order ${externalOrderId} has no successful refund transaction`);
  return [{ type: "record_refund", external_order_id: externalOrderId, payments }];
}

function variantBody(variant: Json, optionNames: Map<number, string>, imageUrls: Map<string, string>): Body {
  const options: Body = {};
  for (const n of [1, 2, 3]) {
    const value = textOf(variant[`option${n}`]);
    // The schema wants a name with each value; Shopify names options by position on the product.
    if (value === undefined) continue;
    options[`option${n}_name`] = optionNames.get(n) ?? `Option ${n}`;
    options[`option${n}_value`] = value;
  }
  const imageId = idOf(variant.image_id);
  return compact({
    external_variant_id: idOf(variant.id),
    variant_name: textOf(variant.title),
    sku: textOf(variant.sku) ?? null,
    ...options,
    price: variant.price,
    compare_at_price: textOf(variant.compare_at_price) ?? null,
    barcode: textOf(variant.barcode) ?? null,
    inventory_quantity: stockOf(variant.inventory_quantity),
    inventory_tracked: variant.inventory_management === undefined ? undefined : variant.inventory_management === "shopify",
    weight: typeof variant.grams === "number" ? gramsToKg(variant.grams) : undefined,
    // image_id null clears the image; an id not among the product's images leaves it as it was.
    image_url: variant.image_id === null ? null : imageId === undefined ? undefined : imageUrls.get(imageId),
    // Not a variant field: the applier takes it off and records where the item points, for inventory_levels/update.
    inventory_item_id: idOf(variant.inventory_item_id),
  });
}

function productAction(product: Json, topic: string): WebhookAction {
  const externalProductId = requireId(product, "id", topic);
  const variants = records(product.variants);
  const first = variants[0] ?? {};
  const images = records(product.images);
  const imageUrls = new Map(images.flatMap((image) => (idOf(image.id) && textOf(image.src) ? [[idOf(image.id)!, String(image.src)] as const] : [])));
  const optionNames = new Map(records(product.options).flatMap((option) => (typeof option.position === "number" && textOf(option.name) ? [[option.position, String(option.name)] as const] : [])));
  const stocks = variants.map((variant) => stockOf(variant.inventory_quantity));
  const body = compact({
    external_product_id: externalProductId,
    product_name: product.title,
    product_slug: textOf(product.handle) ?? null,
    long_description: textOf(product.body_html) ?? null,
    external_sku: variants.length === 1 ? (textOf(first.sku) ?? null) : undefined,
    price: first.price,
    compare_at_price: variants.length > 0 ? (textOf(first.compare_at_price) ?? null) : undefined,
    inventory_quantity: stocks.every((stock) => stock !== undefined) && stocks.length > 0 ? stocks.reduce((sum, stock) => sum! + stock!, 0) : undefined,
    allow_backorder: variants.length > 0 ? variants.some((variant) => variant.inventory_policy === "continue") : undefined,
    featured_image_url: textOf(recordOf(product.image)?.src) ?? textOf(images[0]?.src) ?? null,
    image_urls: images.flatMap((image) => (textOf(image.src) ? [image.src] : [])),
    is_published: product.status === undefined ? undefined : product.status === "active",
    published_at: textOf(product.published_at) ?? null,
    tags: splitTags(product.tags),
    // The product schema has no vendor or type fields.
    external_metadata: compact({ vendor: textOf(product.vendor), product_type: textOf(product.product_type) }),
    updated_at: product.updated_at,
  });
  // Even a product without options has one variant ("Default Title"): kept, since it carries the inventory item stock updates name.
  return { type: "upsert_product", body, variants: variants.map((variant) => variantBody(variant, optionNames, imageUrls)), replaceVariants: true };
}

function inventoryActions(level: Json, topic: string): WebhookAction[] {
  const inventoryItemId = requireId(level, "inventory_item_id", topic);
  const available = stockOf(level.available);
  // null: the item stopped being tracked at this location; there is no count to set.
  if (available === undefined) return ignore(`inventory item ${inventoryItemId} has no available count`);
  return [{ type: "set_inventory", inventory_item_id: inventoryItemId, inventory_quantity: available, ...compact({ location_id: idOf(level.location_id), updated_at: textOf(level.updated_at) }) }];
}

function acceptsMarketing(customer: Json): boolean | undefined {
  const consent = recordOf(customer.email_marketing_consent);
  if (consent) return consent.state === "subscribed";
  return booleanOf(customer.accepts_marketing);
}

function customerBody(customer: Json, topic: string): Body {
  return compact({
    external_customer_id: requireId(customer, "id", topic),
    email: textOf(customer.email),
    first_name: textOf(customer.first_name) ?? null,
    last_name: textOf(customer.last_name) ?? null,
    phone: textOf(customer.phone) ?? null,
    accepts_marketing: acceptsMarketing(customer),
    tags: splitTags(customer.tags),
    notes: textOf(customer.note) ?? null,
    updated_at: customer.updated_at,
  });
}

/** UTM parameters of the landing page's query string. */
function utmOf(landingSite: string | undefined): Body {
  if (!landingSite) return {};
  const query = new URLSearchParams(landingSite.split("?")[1] ?? "");
  return compact({ utm_source: query.get("utm_source") ?? undefined, utm_medium: query.get("utm_medium") ?? undefined, utm_campaign: query.get("utm_campaign") ?? undefined });
}

function browserInfo(client: Json | undefined): Body | undefined {
  if (!client) return undefined;
  const info = compact({ user_agent: textOf(client.user_agent), accept_language: textOf(client.accept_language) });
  return Object.keys(info).length > 0 ? info : undefined;
}

function cartBody(checkout: Json, topic: string): Body {
  const customer = recordOf(checkout.customer) ?? {};
  const lines = records(checkout.line_items).map((line) =>
    compact({
      external_product_id: idOf(line.product_id),
      external_variant_id: idOf(line.variant_id),
      sku: textOf(line.sku) ?? null,
      product_name: line.title ?? line.presentment_title,
      variant_name: textOf(line.variant_title) ?? null,
      quantity: line.quantity,
      unit_price: line.price,
      total_amount: textOf(line.line_price),
    }),
  );
  return compact({
    external_cart_id: requireId(checkout, "token", topic),
    cart_token: textOf(checkout.cart_token) ?? null,
    customer_email: textOf(checkout.email) ?? textOf(customer.email),
    external_customer_id: idOf(customer.id),
    customer_first_name: textOf(customer.first_name) ?? textOf(recordOf(checkout.billing_address)?.first_name) ?? null,
    buyer_accepts_marketing: booleanOf(checkout.buyer_accepts_marketing),
    currency: textOf(checkout.currency),
    cart_items: lines,
    subtotal_amount: checkout.subtotal_price,
    discount_amount: checkout.total_discounts,
    shipping_amount: sumAmounts(records(checkout.shipping_lines).map((line) => textOf(line.price)), 2),
    tax_amount: checkout.total_tax,
    total_amount: checkout.total_price,
    checkout_url: textOf(checkout.abandoned_checkout_url) ?? null,
    created_at: checkout.created_at,
    updated_at: checkout.updated_at,
    completed_at: textOf(checkout.completed_at) ?? null,
    ...utmOf(textOf(checkout.landing_site)),
    browser_info: browserInfo(recordOf(checkout.client_details)),
  });
}
