/**
 * GraphQL Admin API nodes rewritten in the REST resource shapes that the
 * webhook payloads use, so that the one Shopify mapper (webhooks/shopify.ts)
 * turns both into hub actions.
 */
import type { Json } from "../webhooks/map-common";
import { isRecord, records, recordOf } from "../webhooks/map-common";

/** "gid://shopify/Product/123" → "123", the id REST payloads and webhooks carry. */
export const legacyIdOf = (gid: unknown): string | undefined => (typeof gid === "string" ? gid.slice(gid.lastIndexOf("/") + 1) || undefined : undefined);

export const productGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/Product/${id}`);
export const variantGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/ProductVariant/${id}`);
export const inventoryItemGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/InventoryItem/${id}`);
export const locationGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/Location/${id}`);

const lower = (value: unknown): string | undefined => (typeof value === "string" ? value.toLowerCase() : undefined);
const amountOf = (moneyBag: unknown): unknown => recordOf(recordOf(moneyBag)?.shopMoney)?.amount;
const tagList = (value: unknown): string | undefined => (Array.isArray(value) ? value.join(", ") : undefined);
export const nodesOf = (connection: unknown): Json[] => records(recordOf(connection)?.nodes);

function restVariant(variant: Json, optionPositions: Map<string, number>): Json {
  const inventoryItem = recordOf(variant.inventoryItem);
  const rest: Json = {
    id: legacyIdOf(variant.id),
    title: variant.title,
    sku: variant.sku,
    price: variant.price,
    compare_at_price: variant.compareAtPrice ?? null,
    barcode: variant.barcode ?? null,
    inventory_quantity: variant.inventoryQuantity,
    inventory_policy: lower(variant.inventoryPolicy),
    inventory_management: inventoryItem === undefined ? undefined : inventoryItem.tracked === true ? "shopify" : null,
    inventory_item_id: legacyIdOf(inventoryItem?.id),
  };
  records(variant.selectedOptions).forEach((option, index) => {
    const position = optionPositions.get(String(option.name)) ?? index + 1;
    rest[`option${position}`] = option.value;
  });
  return rest;
}

/** A Product node with all its variants (nested pages already joined) as the REST product. */
export function restProduct(product: Json, variants: Json[]): Json {
  const options = records(product.options);
  const optionPositions = new Map(options.map((option, index) => [String(option.name), typeof option.position === "number" ? option.position : index + 1]));
  const featured = recordOf(product.featuredImage);
  return {
    id: legacyIdOf(product.id),
    title: product.title,
    handle: product.handle,
    body_html: product.descriptionHtml,
    vendor: product.vendor,
    product_type: product.productType,
    status: lower(product.status),
    tags: tagList(product.tags),
    published_at: product.publishedAt ?? null,
    updated_at: product.updatedAt,
    image: featured ? { src: featured.url } : null,
    images: nodesOf(product.images).map((image) => ({ id: legacyIdOf(image.id), src: image.url })),
    options: options.map((option, index) => ({ name: option.name, position: optionPositions.get(String(option.name)) ?? index + 1 })),
    variants: variants.map((variant) => restVariant(variant, optionPositions)),
  };
}

function restAddress(address: unknown): Json | null {
  if (!isRecord(address)) return null;
  return {
    first_name: address.firstName ?? null,
    last_name: address.lastName ?? null,
    company: address.company ?? null,
    address1: address.address1 ?? null,
    address2: address.address2 ?? null,
    city: address.city ?? null,
    province: address.province ?? null,
    province_code: address.provinceCode ?? null,
    zip: address.zip ?? null,
    country: address.country ?? null,
    country_code: address.countryCodeV2 ?? null,
    phone: address.phone ?? null,
  };
}

const allocations = (value: unknown) => records(value).map((allocation) => ({ amount: amountOf(allocation.allocatedAmountSet) }));

function restLineItem(line: Json): Json {
  return {
    id: legacyIdOf(line.id),
    title: line.title,
    variant_title: line.variantTitle ?? null,
    sku: line.sku ?? null,
    quantity: line.quantity,
    price: amountOf(line.originalUnitPriceSet),
    requires_shipping: line.requiresShipping,
    taxable: line.taxable,
    product_id: legacyIdOf(recordOf(line.product)?.id) ?? null,
    variant_id: legacyIdOf(recordOf(line.variant)?.id) ?? null,
    discount_allocations: allocations(line.discountAllocations),
    tax_lines: records(line.taxLines).map((tax) => ({ price: amountOf(tax.priceSet) })),
  };
}

/** GraphQL's display statuses → REST's fulfillment_status (null while nothing is fulfilled). */
const FULFILLMENT_STATUS: Record<string, string> = { FULFILLED: "fulfilled", PARTIALLY_FULFILLED: "partial", RESTOCKED: "restocked" };

/** An Order node with all its line items as the REST order. */
export function restOrder(order: Json, lineItems: Json[]): Json {
  const customer = recordOf(order.customer);
  return {
    id: legacyIdOf(order.id),
    name: order.name,
    email: order.email ?? null,
    phone: order.phone ?? null,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.processedAt ?? null,
    cancelled_at: order.cancelledAt ?? null,
    financial_status: lower(order.displayFinancialStatus) ?? null,
    fulfillment_status: FULFILLMENT_STATUS[String(order.displayFulfillmentStatus)] ?? null,
    currency: order.currencyCode,
    taxes_included: order.taxesIncluded,
    test: order.test,
    note: order.note ?? null,
    tags: tagList(order.tags),
    payment_gateway_names: Array.isArray(order.paymentGatewayNames) ? order.paymentGatewayNames : [],
    total_price: amountOf(order.totalPriceSet),
    total_tax: amountOf(order.totalTaxSet),
    total_discounts: amountOf(order.totalDiscountsSet),
    total_shipping_price_set: { shop_money: { amount: amountOf(order.totalShippingPriceSet) } },
    customer: customer
      ? { id: legacyIdOf(customer.id), first_name: customer.firstName ?? null, last_name: customer.lastName ?? null, email: customer.email ?? null, phone: customer.phone ?? null }
      : null,
    shipping_address: restAddress(order.shippingAddress),
    billing_address: restAddress(order.billingAddress),
    shipping_lines: nodesOf(order.shippingLines).map((line) => ({
      title: line.title,
      price: amountOf(line.originalPriceSet),
      discounted_price: amountOf(line.discountedPriceSet),
      discount_allocations: allocations(line.discountAllocations),
    })),
    line_items: lineItems.map(restLineItem),
  };
}

export function restCustomer(customer: Json): Json {
  const consent = recordOf(customer.emailMarketingConsent);
  return {
    id: legacyIdOf(customer.id),
    email: customer.email ?? null,
    first_name: customer.firstName ?? null,
    last_name: customer.lastName ?? null,
    phone: customer.phone ?? null,
    note: customer.note ?? null,
    tags: tagList(customer.tags),
    updated_at: customer.updatedAt,
    email_marketing_consent: consent ? { state: lower(consent.marketingState) } : undefined,
  };
}
