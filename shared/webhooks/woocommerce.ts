/**
 * WooCommerce webhook payloads (REST API v3 objects) → hub actions.
 *
 * | Woo status     | order_status | payment_status             | fulfillment_status |
 * | -------------- | ------------ | -------------------------- | ------------------ |
 * | pending        | pending      | pending                    | unfulfilled        |
 * | on-hold        | pending      | pending                    | unfulfilled        |
 * | failed         | pending      | pending                    | unfulfilled        |
 * | processing     | confirmed    | paid                       | unfulfilled        |
 * | completed      | fulfilled    | paid                       | fulfilled          |
 * | cancelled      | cancelled    | paid if date_paid, else voided | unfulfilled    |
 * | refunded       | refunded     | refunded                   | fulfilled if date_completed, else unfulfilled |
 * | trash          | ignored: the order is kept as it was (like order.deleted)             |
 * | checkout-draft | a cart: a block checkout in progress (external_cart_id = the order id) |
 *
 * on-hold waits for a manual payment (bank transfer, cheque); failed is a
 * declined payment the customer may retry, so neither is final. Woo's
 * "processing" means paid and awaiting shipment, the hub's "confirmed"
 * ("processing" is the hub's partially fulfilled). A paid order with refunds
 * but not fully refunded is partially_refunded. Unknown (plugin) statuses
 * import as pending.
 *
 * Woo timestamps without a zone are the site's local time: only the *_gmt
 * fields are used, marked as UTC.
 */
import type { Body, WebhookAction } from "./actions";
import {
  absoluteAmount,
  booleanOf,
  compact,
  divideAmount,
  idOf,
  ignore,
  isNegativeAmount,
  payloadObject,
  positiveIdOf,
  recordOf,
  records,
  requireId,
  stockOf,
  subtractAmounts,
  sumAmounts,
  textOf,
  type Json,
} from "./map-common";

type Statuses = { order_status: string; payment_status: string; fulfillment_status: string };

const STATUSES: Record<string, (order: Json) => Statuses> = {
  pending: () => ({ order_status: "pending", payment_status: "pending", fulfillment_status: "unfulfilled" }),
  "on-hold": () => ({ order_status: "pending", payment_status: "pending", fulfillment_status: "unfulfilled" }),
  failed: () => ({ order_status: "pending", payment_status: "pending", fulfillment_status: "unfulfilled" }),
  processing: (order) => ({ order_status: "confirmed", payment_status: paidStatus(order), fulfillment_status: "unfulfilled" }),
  completed: (order) => ({ order_status: "fulfilled", payment_status: paidStatus(order), fulfillment_status: "fulfilled" }),
  cancelled: (order) => ({ order_status: "cancelled", payment_status: textOf(order.date_paid_gmt) ? "paid" : "voided", fulfillment_status: "unfulfilled" }),
  refunded: (order) => ({ order_status: "refunded", payment_status: "refunded", fulfillment_status: textOf(order.date_completed_gmt) ? "fulfilled" : "unfulfilled" }),
};

const IGNORED_STATUSES: Record<string, string> = {
  trash: "moved to the trash; orders are kept",
};

const paidStatus = (order: Json): string => (records(order.refunds).length > 0 ? "partially_refunded" : "paid");

export function mapWooCommerce(topic: string, payload: unknown): WebhookAction[] {
  switch (topic) {
    case "order.created":
    case "order.updated":
    case "order.restored":
      return orderActions(payloadObject(payload, topic), topic);
    case "order.deleted":
      return ignore(`order ${idOf(recordOf(payload)?.id) ?? "?"} deleted on WooCommerce; orders are kept`);
    case "product.created":
    case "product.updated":
    case "product.restored":
      return [productAction(payloadObject(payload, topic), topic)];
    case "product.deleted":
      return [{ type: "remove_product", external_product_id: requireId(payloadObject(payload, topic), "id", topic) }];
    case "customer.created":
    case "customer.updated":
      return [{ type: "upsert_customer", body: customerBody(payloadObject(payload, topic), topic) }];
    default:
      return ignore(`WooCommerce topic ${topic} is not handled`);
  }
}

/** A *_gmt field ("2017-03-22T19:28:02") as an ISO timestamp in UTC. */
const gmt = (value: unknown): string | undefined => {
  const text = textOf(value);
  return text && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
};

/** Woo sends "" for a field left empty; the hub holds null. */
const orNull = (value: unknown): unknown => (value === "" || value === undefined ? null : value);

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", ndash: "–", mdash: "—", nbsp: " " };

/** Woo line names are HTML-escaped ("Ship Your Idea &ndash; Color: Black"). */
const unescapeHtml = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? entity;
  });

export function addressOf(value: unknown): Body | undefined {
  const address = recordOf(value);
  if (!address) return undefined;
  return {
    first_name: orNull(address.first_name),
    last_name: orNull(address.last_name),
    company: orNull(address.company),
    address_line1: orNull(address.address_1),
    address_line2: orNull(address.address_2),
    city: orNull(address.city),
    state_province: orNull(address.state),
    postal_code: orNull(address.postcode),
    country: orNull(address.country),
    phone: orNull(address.phone),
  };
}

/** A variation line is named "Parent – Attr: value, …": the parent is the product, the rest the variant. */
function lineNames(line: Json): { product_name: unknown; variant_name: string | null } {
  const name = typeof line.name === "string" ? unescapeHtml(line.name) : line.name;
  const parent = textOf(line.parent_name);
  if (!parent || typeof name !== "string") return { product_name: name, variant_name: null };
  const prefix = `${unescapeHtml(parent)} – `;
  return { product_name: unescapeHtml(parent), variant_name: name.startsWith(prefix) ? name.slice(prefix.length) : name };
}

/** Woo's line subtotal is before coupons and its total after them: the difference is the line's discount. */
function lineItem(line: Json): Body {
  const quantity = typeof line.quantity === "number" ? line.quantity : 0;
  return compact({
    external_item_id: idOf(line.id),
    external_product_id: positiveIdOf(line.product_id),
    external_variant_id: positiveIdOf(line.variation_id),
    ...lineNames(line),
    sku: textOf(line.sku) ?? null,
    quantity: line.quantity,
    unit_price: divideAmount(line.subtotal, quantity) ?? line.price,
    discount_amount: subtractAmounts(line.subtotal, line.total),
    tax_amount: textOf(line.total_tax),
    total_amount: textOf(line.total),
  });
}

/** A positive fee is charged like a line; a negative one (a manual discount) is an order-level discount. */
function feeLine(fee: Json): Body {
  return compact({
    external_item_id: idOf(fee.id) && `fee-${idOf(fee.id)}`,
    product_name: textOf(fee.name) ?? "Fee",
    quantity: 1,
    unit_price: fee.total,
    tax_amount: textOf(fee.total_tax),
    total_amount: fee.total,
    requires_shipping: false,
  });
}

/** A draft order of the block checkout, kept as a cart until it is placed. */
function cartBody(order: Json, externalOrderId: string): Body {
  const billing = recordOf(order.billing) ?? {};
  const lines = records(order.line_items).map((line) =>
    compact({
      external_product_id: positiveIdOf(line.product_id),
      external_variant_id: positiveIdOf(line.variation_id),
      sku: textOf(line.sku) ?? null,
      product_name: textOf(line.name) ?? "Item",
      quantity: line.quantity,
      unit_price: divideAmount(line.subtotal, typeof line.quantity === "number" && line.quantity > 0 ? line.quantity : 1) ?? line.price,
      total_amount: textOf(line.total),
    }),
  );
  return compact({
    external_cart_id: externalOrderId,
    cart_token: textOf(order.cart_hash) ?? null,
    external_customer_id: positiveIdOf(order.customer_id),
    customer_email: textOf(billing.email),
    customer_first_name: textOf(billing.first_name) ?? null,
    currency: textOf(order.currency),
    cart_items: lines,
    subtotal_amount: sumAmounts(lines.map((line) => line.total_amount), 2),
    discount_amount: textOf(order.discount_total),
    shipping_amount: textOf(order.shipping_total),
    tax_amount: textOf(order.total_tax),
    total_amount: order.total,
    checkout_url: textOf(order.payment_url) ?? null,
    created_at: gmt(order.date_created_gmt),
    updated_at: gmt(order.date_modified_gmt),
  });
}

function orderActions(order: Json, topic: string): WebhookAction[] {
  const externalOrderId = requireId(order, "id", topic);
  const status = String(order.status);
  if (status === "checkout-draft") return [{ type: "upsert_cart", body: cartBody(order, externalOrderId) }];
  if (IGNORED_STATUSES[status]) return ignore(`order ${externalOrderId} is ${status}: ${IGNORED_STATUSES[status]}`);
  const billing = recordOf(order.billing) ?? {};
  const fees = records(order.fee_lines);
  const lines = [...records(order.line_items).map(lineItem), ...fees.filter((fee) => !isNegativeAmount(fee.total)).map(feeLine)];
  const negativeFees = fees.filter((fee) => isNegativeAmount(fee.total)).map((fee) => absoluteAmount(fee.total));
  const shippingLines = records(order.shipping_lines);
  const statuses = (STATUSES[status] ?? STATUSES.pending!)(order);
  return [
    {
      type: "import_order",
      body: compact({
        external_order_id: externalOrderId,
        external_order_number: textOf(order.number) ?? idOf(order.number),
        external_customer_id: positiveIdOf(order.customer_id),
        customer_email: textOf(billing.email),
        customer_first_name: textOf(billing.first_name) ?? null,
        customer_last_name: textOf(billing.last_name) ?? null,
        customer_phone: textOf(billing.phone) ?? null,
        order_date: gmt(order.date_created_gmt),
        processed_at: gmt(order.date_paid_gmt) ?? null,
        subtotal_amount: sumAmounts(lines.map((line) => line.total_amount), 2),
        // Coupons are inside the line totals already (discount_total is their sum); only negative fees remain.
        discount_amount: sumAmounts(negativeFees, 2),
        shipping_amount: textOf(order.shipping_total),
        tax_amount: textOf(order.total_tax),
        total_amount: order.total,
        currency: textOf(order.currency),
        shipping_address: addressOf(order.shipping),
        billing_address: addressOf(order.billing),
        ...statuses,
        shipping_method: textOf(shippingLines[0]?.method_title) ?? null,
        payment_method: textOf(order.payment_method_title) ?? null,
        payment_gateway: textOf(order.payment_method) ?? null,
        payment_transaction_id: textOf(order.transaction_id) ?? null,
        requires_shipping: shippingLines.length > 0,
        customer_note: textOf(order.customer_note) ?? null,
        // A block checkout's draft order keeps its id when placed: the cart it was has that id.
        checkout_token: externalOrderId,
        cart_token: textOf(order.cart_hash) ?? null,
        line_items: lines,
        updated_at: gmt(order.date_modified_gmt),
      }),
    },
  ];
}

const measure = (value: unknown): number | undefined => {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : undefined;
  return number !== undefined && Number.isFinite(number) && number >= 0 ? number : undefined;
};

/**
 * A variable product's variations are separate objects that Woo does not
 * send with the product (only their ids), so variants are left as they are.
 */
function productAction(product: Json, topic: string): WebhookAction {
  const externalProductId = requireId(product, "id", topic);
  const images = records(product.images);
  const dimensions = recordOf(product.dimensions) ?? {};
  const managed = product.manage_stock === true;
  const onSale = booleanOf(product.on_sale);
  const variationIds = Array.isArray(product.variations) ? product.variations.map(idOf).filter((id) => id !== undefined) : [];
  const body = compact({
    external_product_id: externalProductId,
    product_name: typeof product.name === "string" ? unescapeHtml(product.name) : product.name,
    product_slug: textOf(product.slug) ?? null,
    external_sku: textOf(product.sku) ?? null,
    short_description: textOf(product.short_description) ?? null,
    long_description: textOf(product.description) ?? null,
    // Woo allows a product without a price (not purchasable); the hub needs one.
    price: textOf(product.price) ?? textOf(product.regular_price) ?? "0",
    compare_at_price: onSale && textOf(product.regular_price) ? product.regular_price : null,
    is_on_sale: onSale,
    is_featured: booleanOf(product.featured),
    is_published: product.status === undefined ? undefined : product.status === "publish",
    inventory_tracked: booleanOf(product.manage_stock),
    inventory_quantity: managed ? (stockOf(product.stock_quantity) ?? 0) : undefined,
    allow_backorder: product.backorders === undefined ? undefined : product.backorders !== "no",
    low_stock_threshold: stockOf(product.low_stock_amount),
    weight: measure(product.weight) ?? null,
    length: measure(dimensions.length) ?? null,
    width: measure(dimensions.width) ?? null,
    height: measure(dimensions.height) ?? null,
    featured_image_url: textOf(images[0]?.src) ?? null,
    image_urls: images.flatMap((image) => (textOf(image.src) ? [image.src] : [])),
    tags: records(product.tags).flatMap((tag) => (textOf(tag.name) ? [tag.name] : [])),
    external_metadata: compact({
      type: textOf(product.type),
      categories: records(product.categories).flatMap((category) => (textOf(category.name) ? [category.name] : [])),
      variation_ids: variationIds.length > 0 ? variationIds : undefined,
    }),
    updated_at: gmt(product.date_modified_gmt),
  });
  return { type: "upsert_product", body, variants: [], replaceVariants: false };
}

function customerBody(customer: Json, topic: string): Body {
  const billing = recordOf(customer.billing) ?? {};
  return compact({
    external_customer_id: requireId(customer, "id", topic),
    email: textOf(customer.email) ?? textOf(billing.email),
    first_name: textOf(customer.first_name) ?? textOf(billing.first_name) ?? null,
    last_name: textOf(customer.last_name) ?? textOf(billing.last_name) ?? null,
    phone: textOf(billing.phone) ?? null,
    updated_at: gmt(customer.date_modified_gmt),
  });
}
