import { isDeepStrictEqual } from "node:util";
import { ConflictError, NotFoundError } from "../http/errors";
import { nextId } from "../data/sequence";
import { getStorefront, storefrontKey } from "../data/storefronts";
import { getCustomer } from "../data/customers";
import {
  findBySku,
  findProductIds,
  findVariantIds,
  getOrderWithDetails,
  getWithOrderLookup,
  insertOrder,
  replaceOrder,
  reserveIds,
} from "../data/orders";
import type { ImportOrderInput } from "../schemas/order";
import { requireStorefrontAccess, unknownStorefront } from "./catalog-access";
import { resolveOrderCustomer } from "./customers";
import { customerView } from "./customer-records";
import {
  isOlderImport,
  itemRecord,
  mergeImportedOrder,
  newOrderRecord,
  orderItemView,
  orderView,
  pairItems,
  toImportedOrder,
  type ImportedItem,
  type ImportedOrder,
  type ItemLink,
  type OrderItemRecord,
  type OrderRecord,
} from "./order-records";
import { productSalesOf } from "./order-counters";
import { paymentView } from "./payment-records";
import type { Principal } from "./roles";

const MAX_WRITE_ATTEMPTS = 5;

const concurrentUpdate = (id: number) => new ConflictError("concurrent_update", `Order ${id} kept changing while this import tried to write it; retry`);

export interface ImportOutcome {
  action: "created" | "updated";
  changed: boolean;
  stale: boolean;
  order: ReturnType<typeof orderView> & { items: ReturnType<typeof orderItemView>[] };
}

const details = (order: OrderRecord, items: OrderItemRecord[]) => ({ ...orderView(order), items: items.map((item) => orderItemView(item, order.currency)) });

/**
 * Links line items to the storefront's catalog: products by external product
 * id, then their variants by external variant id; a line no external id
 * links, by its SKU (a variant's first, else a product's).
 */
async function linkItems(storefrontId: number, items: ImportedItem[]): Promise<ItemLink[]> {
  const links = await linkByExternalIds(storefrontId, items);
  const skus = [...new Set(items.flatMap((item, index) => (links[index]!.ecommerce_product_id === null && item.sku ? [item.sku] : [])))];
  if (skus.length === 0) return links;
  const bySku = await findBySku(storefrontId, skus);
  return links.map((link, index) => (link.ecommerce_product_id === null && items[index]!.sku ? (bySku.get(items[index]!.sku!) ?? link) : link));
}

async function linkByExternalIds(storefrontId: number, items: ImportedItem[]): Promise<ItemLink[]> {
  const externalProductIds = [...new Set(items.flatMap((item) => (item.external_product_id ? [item.external_product_id] : [])))];
  const products = externalProductIds.length > 0 ? await findProductIds(storefrontId, externalProductIds) : new Map<string, number>();
  const productOf = (item: ImportedItem) => (item.external_product_id ? products.get(item.external_product_id) : undefined);
  const variantPairs = items.flatMap((item) => {
    const productId = productOf(item);
    return productId !== undefined && item.external_variant_id ? [{ productId, externalVariantId: item.external_variant_id }] : [];
  });
  const variants = variantPairs.length > 0 ? await findVariantIds(variantPairs) : new Map<string, number>();
  return items.map((item) => {
    const productId = productOf(item);
    const variantId = productId !== undefined && item.external_variant_id ? variants.get(`${productId}#${item.external_variant_id}`) : undefined;
    return { ecommerce_product_id: productId ?? null, variant_id: variantId ?? null };
  });
}

/**
 * The storefront's import: creates the order for (storefront_id,
 * external_order_id) or updates it. An identical replay writes nothing, and
 * an import older than the one applied (by the platform's updated_at) is refused.
 */
export async function importOrder(input: ImportOrderInput, principal: Principal): Promise<ImportOutcome> {
  requireStorefrontAccess(principal, input.storefront_id);
  const { storefrontItem, orderId } = await getWithOrderLookup(storefrontKey(input.storefront_id), input.storefront_id, input.external_order_id);
  if (!storefrontItem) throw unknownStorefront("body.storefront_id", input.storefront_id);
  const imported = toImportedOrder(input, { default_currency: String(storefrontItem.default_currency), timezone: String(storefrontItem.timezone ?? "UTC") });
  const [customerId, links] = await Promise.all([
    resolveOrderCustomer({
      storefrontId: input.storefront_id,
      externalCustomerId: input.external_customer_id,
      email: input.customer_email,
      firstName: input.customer_first_name ?? null,
      lastName: input.customer_last_name ?? null,
      phone: input.customer_phone ?? null,
      currency: String(storefrontItem.default_currency),
    }),
    linkItems(input.storefront_id, imported.items),
  ]);
  if (orderId === undefined) {
    const created = await createOrder(imported, customerId, links);
    if (created) return created;
  }
  const existingId = orderId ?? (await getWithOrderLookup(storefrontKey(input.storefront_id), input.storefront_id, input.external_order_id)).orderId;
  if (existingId === undefined) throw new Error(`order ${input.external_order_id} lost its lookup while being imported`);
  return updateImportedOrder(existingId, imported, customerId, links);
}

async function createOrder(imported: ImportedOrder, customerId: number, links: ItemLink[]): Promise<ImportOutcome | undefined> {
  const [orderId, firstItemId] = await Promise.all([nextId("order"), reserveIds("order_item", imported.items.length)]);
  const items = imported.items.map((item, index) => itemRecord(orderId, firstItemId + index, item, links[index]!));
  const order = newOrderRecord({ ecommerce_order_id: orderId, ecommerce_customer_id: customerId }, imported.fields, productSalesOf(items), new Date().toISOString());
  // Another import of the same order created it first: this one becomes an update of it.
  if (!(await insertOrder(order, items))) return undefined;
  return { action: "created", changed: true, stale: false, order: details(order, items) };
}

async function updateImportedOrder(id: number, imported: ImportedOrder, customerId: number, links: ItemLink[]): Promise<ImportOutcome> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await getOrderWithDetails(id, { consistentRead: true });
    if (!current) throw concurrentUpdate(id);
    if (isOlderImport(current.order.platform_updated_at, imported.fields.platform_updated_at)) {
      return { action: "updated", changed: false, stale: true, order: details(current.order, current.items) };
    }
    const { pairs, removed } = pairItems(current.items, imported.items);
    const newCount = pairs.filter((pair) => !pair.stored).length;
    const firstNewId = newCount > 0 ? await reserveIds("order_item", newCount) : 0;
    let nextNewId = firstNewId;
    const items = pairs.map((pair, index) => itemRecord(id, pair.stored?.order_item_id ?? nextNewId++, pair.imported, links[index]!, pair.stored));
    const changedItems = items.filter((item, index) => !isDeepStrictEqual(item, pairs[index]!.stored));
    const merged = mergeImportedOrder(current.order, { ...imported.fields, ...productSalesOf(items) }, customerId, new Date().toISOString());
    if (!merged.changed && changedItems.length === 0 && removed.length === 0) {
      return { action: "updated", changed: false, stale: false, order: details(current.order, current.items) };
    }
    // Item changes alone still move the order's version: its stream record is what the processors follow.
    const next = merged.changed ? merged.next : { ...current.order, updated_at: new Date().toISOString(), version: current.order.version + 1 };
    if (await replaceOrder(next, current.order.version, changedItems, removed)) {
      return { action: "updated", changed: true, stale: false, order: details(next, items) };
    }
  }
  throw concurrentUpdate(id);
}

/** The order with its items, payments and customer. */
export async function readOrder(id: number, principal: Principal) {
  const found = await getOrderWithDetails(id);
  if (!found) throw new NotFoundError("Order", id);
  requireStorefrontAccess(principal, found.order.storefront_id);
  const [storefront, customer] = await Promise.all([getStorefront(found.order.storefront_id), getCustomer(found.order.ecommerce_customer_id)]);
  return {
    ...details(found.order, found.items),
    storefront_name: storefront?.storefront_name ?? "",
    payments: found.payments.map(paymentView),
    customer: customer ? customerView(customer) : null,
  };
}
