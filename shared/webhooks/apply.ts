/**
 * Applies a delivery's actions through the same domain code and request
 * schemas as the REST API, as the storefront itself (an operator limited to
 * that storefront). Returns what was done, for the delivery's `outcome`.
 */
import * as v from "valibot";
import { PutCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "../data/client";
import { findProductIds, findVariantIds, getOrderWithDetails, getWithOrderLookup } from "../data/orders";
import { storefrontKey } from "../data/storefronts";
import { recordLocationLevel, totalAvailable } from "../data/inventory-levels";
import { parseWith } from "../schemas/parse";
import { platformTimestamp } from "../schemas/common";
import { importOrderBody } from "../schemas/order";
import { upsertProductBody, updateProductBody } from "../schemas/product";
import { createVariantBody, updateVariantBody } from "../schemas/variant";
import { recordPaymentBody, type RecordPaymentInput } from "../schemas/payment";
import { importOrder } from "../domain/orders";
import { updateProduct, upsertProduct } from "../domain/products";
import { createVariant, deleteVariant, listVariants, updateVariant } from "../domain/variants";
import { recordPayment } from "../domain/payments";
import { applyPlatformCustomer } from "../domain/customers";
import { upsertCart } from "../domain/carts";
import { upsertCartBody } from "../schemas/cart";
import type { Principal } from "../domain/roles";
import { formatMinorUnits } from "../domain/money";
import { UnreadablePayloadError, type Body, type WebhookAction } from "./actions";

export interface ApplyOptions {
  /** The platform's stock levels become the ERP's (an explicit store_to_erp sync); otherwise they are only its reports. */
  platformStockIsTruth?: boolean;
}

/** The storefront as the caller; what it says of stock is a platform's report unless told otherwise. */
const asStorefront = (storefrontId: number, options: ApplyOptions = {}): Principal => ({
  keyId: `webhook:${storefrontId}`,
  role: "operator",
  storefrontIds: [storefrontId],
  ...(options.platformStockIsTruth ? {} : { relaysPlatform: true as const }),
});

/** Where a platform's inventory item (Shopify's inventory_item_id) points: the product and variant it counts. */
const inventoryItemKey = (storefrontId: number, inventoryItemId: string) => ({ pk: `STOREFRONT#${storefrontId}#INVENTORY_ITEM#${inventoryItemId}`, sk: "INVENTORY_ITEM" });

async function applyOrder(storefrontId: number, body: Body): Promise<string> {
  const input = parseWith(importOrderBody, { ...body, storefront_id: storefrontId }, "data");
  const outcome = await importOrder(input, asStorefront(storefrontId));
  return `order ${outcome.order.ecommerce_order_id} ${outcome.stale ? "unchanged (the stored order is newer)" : outcome.changed ? outcome.action : "unchanged"}`;
}

async function applyProduct(storefrontId: number, action: Extract<WebhookAction, { type: "upsert_product" }>): Promise<string> {
  const principal = asStorefront(storefrontId);
  // With variants, the product's stock is theirs: it follows from the variants written below.
  const { inventory_quantity: _sum, ...withoutStock } = action.body;
  const body = action.variants.length > 0 ? withoutStock : action.body;
  const outcome = await upsertProduct(parseWith(upsertProductBody, { ...body, storefront_id: storefrontId }, "data"), principal);
  const productId = outcome.product.ecommerce_product_id;
  if (outcome.stale) return `product ${productId} unchanged (the stored product is newer)`;
  const existing = await listVariants(productId, principal);
  const byExternalId = new Map(existing.flatMap((variant) => (variant.external_variant_id ? [[variant.external_variant_id, variant.variant_id] as const] : [])));
  const listed = new Set<string>();
  for (const { inventory_item_id: inventoryItemId, ...variant } of action.variants) {
    const externalId = String(variant.external_variant_id ?? "");
    listed.add(externalId);
    const variantId = byExternalId.get(externalId);
    if (variantId === undefined) await createVariant(productId, parseWith(createVariantBody, variant, "data.variants"), principal);
    else {
      const { external_variant_id: _same, ...changes } = variant;
      await updateVariant(productId, variantId, parseWith(updateVariantBody, changes, "data.variants"), principal);
    }
    if (inventoryItemId !== undefined && inventoryItemId !== null) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...inventoryItemKey(storefrontId, String(inventoryItemId)), entity: "inventory_item", ecommerce_product_id: productId, external_variant_id: externalId },
        }),
      );
    }
  }
  if (action.replaceVariants) {
    for (const [externalId, variantId] of byExternalId) if (!listed.has(externalId)) await deleteVariant(productId, variantId, principal);
  }
  return `product ${productId} ${outcome.changed ? outcome.action : "unchanged"} with ${action.variants.length} variants`;
}

async function productIdOf(storefrontId: number, externalProductId: string): Promise<number | undefined> {
  return (await findProductIds(storefrontId, [externalProductId])).get(externalProductId);
}

async function applyRemoval(storefrontId: number, externalProductId: string): Promise<string> {
  const productId = await productIdOf(storefrontId, externalProductId);
  if (productId === undefined) return `product ${externalProductId} is not in the catalog`;
  await updateProduct(productId, parseWith(updateProductBody, { is_published: false }, "data"), asStorefront(storefrontId));
  return `product ${productId} unpublished (removed on the platform)`;
}

async function applyInventory(storefrontId: number, action: Extract<WebhookAction, { type: "set_inventory" }>, options: ApplyOptions): Promise<string> {
  const principal = asStorefront(storefrontId, options);
  let productId = action.external_product_id === undefined ? undefined : await productIdOf(storefrontId, action.external_product_id);
  let externalVariantId = action.external_variant_id;
  if (productId === undefined && action.inventory_item_id !== undefined) {
    const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: inventoryItemKey(storefrontId, action.inventory_item_id) }));
    if (Item) [productId, externalVariantId] = [Number(Item.ecommerce_product_id), String(Item.external_variant_id)];
  }
  // Not (yet) in the catalog: a later product sync brings its stock along.
  if (productId === undefined) return "stock level of an item not in the catalog: nothing to set";
  let total = action.inventory_quantity;
  if (action.location_id !== undefined && action.inventory_item_id !== undefined) {
    // A level at one location: the item's stock is the sum over its locations.
    const at = action.updated_at === undefined ? undefined : new Date(action.updated_at).toISOString();
    if (!(await recordLocationLevel(storefrontId, action.inventory_item_id, action.location_id, action.inventory_quantity, at))) {
      return `an older stock level of location ${action.location_id}: unchanged`;
    }
    total = await totalAvailable(storefrontId, action.inventory_item_id);
  }
  const quantity = { inventory_quantity: total };
  if (externalVariantId !== undefined) {
    const variantId = (await findVariantIds([{ productId, externalVariantId }])).get(`${productId}#${externalVariantId}`);
    if (variantId === undefined) return `variant ${externalVariantId} of product ${productId} is not in the catalog`;
    await updateVariant(productId, variantId, parseWith(updateVariantBody, quantity, "data"), principal);
    return `variant ${variantId} stock set to ${total}`;
  }
  await updateProduct(productId, parseWith(updateProductBody, quantity, "data"), principal);
  return `product ${productId} stock set to ${total}`;
}

const customerBody = v.object({
  external_customer_id: v.pipe(v.union([v.string(), v.number()]), v.transform(String)),
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email("must be an email address")),
  first_name: v.optional(v.nullable(v.string())),
  last_name: v.optional(v.nullable(v.string())),
  phone: v.optional(v.nullable(v.string())),
  accepts_marketing: v.optional(v.boolean()),
  tags: v.optional(v.array(v.string())),
  notes: v.optional(v.nullable(v.string())),
  updated_at: v.optional(platformTimestamp),
});

async function applyCustomer(storefrontId: number, body: Body): Promise<string> {
  const input = parseWith(customerBody, body, "data");
  const { Item: storefront } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: storefrontKey(storefrontId) }));
  const result = await applyPlatformCustomer({
    storefrontId,
    externalCustomerId: input.external_customer_id,
    email: input.email,
    firstName: input.first_name ?? null,
    lastName: input.last_name ?? null,
    phone: input.phone ?? null,
    currency: String(storefront?.default_currency ?? "USD"),
    acceptsMarketing: input.accepts_marketing,
    tags: input.tags,
    notes: input.notes,
    updatedAt: input.updated_at,
  });
  return `customer ${result.customerId} ${result.stale ? "unchanged: a newer update was applied already" : result.changed ? "updated" : "unchanged"}`;
}

async function applyCart(storefrontId: number, body: Body): Promise<string> {
  const outcome = await upsertCart(parseWith(upsertCartBody, { ...body, storefront_id: storefrontId }, "data"), asStorefront(storefrontId));
  return `cart ${outcome.cart.cart_id} ${outcome.action}`;
}

/**
 * A platform refund: each refund transaction recorded once (by its external
 * transaction id) against the payment it refunds. The platform captured the
 * money even when the hub never saw that payment: then the capture is
 * recorded first, for the order's total, so the refund has its parent.
 */
async function applyRefund(storefrontId: number, action: Extract<WebhookAction, { type: "record_refund" }>): Promise<string> {
  const principal = asStorefront(storefrontId);
  const { orderId } = await getWithOrderLookup(storefrontKey(storefrontId), storefrontId, action.external_order_id);
  // The order may not have arrived yet: retried later.
  if (orderId === undefined) throw new Error(`order ${action.external_order_id} is not imported yet`);
  let recorded = 0;
  for (const { parent_external_transaction_id: parentExternalId, ...refund } of action.payments) {
    const { payments, order } = (await getOrderWithDetails(orderId, { consistentRead: true }))!;
    if (refund.external_transaction_id !== undefined && payments.some((payment) => payment.external_transaction_id === String(refund.external_transaction_id))) continue;
    const captured = (payment: (typeof payments)[number]) => (payment.payment_type === "charge" || payment.payment_type === "capture") && (payment.payment_status === "succeeded" || payment.payment_status === "captured");
    let parent = payments.find((payment) => parentExternalId !== undefined && payment.external_transaction_id === String(parentExternalId) && captured(payment)) ?? payments.find(captured);
    if (!parent) {
      const charge: RecordPaymentInput = v.parse(recordPaymentBody, {
        payment_type: "charge",
        amount: formatMinorUnits(order.total_minor, order.currency),
        payment_status: "succeeded",
        ...(parentExternalId === undefined ? {} : { external_transaction_id: String(parentExternalId) }),
      });
      const made = await recordPayment(orderId, charge, principal);
      parent = { payment_id: made.payment.payment_id } as (typeof payments)[number];
    }
    await recordPayment(orderId, parseWith(recordPaymentBody, { ...refund, payment_type: "refund", parent_payment_id: parent.payment_id }, "data.payments"), principal);
    recorded += 1;
  }
  return `order ${orderId}: ${recorded} refund transaction(s) recorded`;
}

export async function applyActions(storefrontId: number, actions: WebhookAction[], options: ApplyOptions = {}): Promise<string> {
  const done: string[] = [];
  for (const action of actions) {
    switch (action.type) {
      case "import_order":
        done.push(await applyOrder(storefrontId, action.body));
        break;
      case "upsert_product":
        done.push(await applyProduct(storefrontId, action));
        break;
      case "remove_product":
        done.push(await applyRemoval(storefrontId, action.external_product_id));
        break;
      case "set_inventory":
        done.push(await applyInventory(storefrontId, action, options));
        break;
      case "upsert_customer":
        done.push(await applyCustomer(storefrontId, action.body));
        break;
      case "record_refund":
        done.push(await applyRefund(storefrontId, action));
        break;
      case "upsert_cart":
        done.push(await applyCart(storefrontId, action.body));
        break;
      case "ignore":
        done.push(`ignored: ${action.reason}`);
        break;
      default:
        throw new UnreadablePayloadError(`unknown action ${(action as { type: string }).type}`);
    }
  }
  return done.join("; ");
}
