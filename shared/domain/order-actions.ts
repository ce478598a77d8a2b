/**
 * Runs a lifecycle action on an order: read it with its items, apply the
 * rule (see order-lifecycle.ts), and write the order with the items it
 * changed in one transaction conditioned on the version read. The stream
 * processors take it from there (inventory, counters, customer statistics).
 */
import { ConflictError, NotFoundError } from "../http/errors";
import { getOrderWithDetails, replaceOrder } from "../data/orders";
import type { FulfillOrderInput, RestockInput } from "../schemas/order";
import { requireStorefrontAccess } from "./catalog-access";
import { cancelOrder, confirmOrder, fulfillOrder, refundOrder, type ActionResult } from "./order-lifecycle";
import { orderItemView, orderView, type OrderItemRecord, type OrderRecord } from "./order-records";
import type { Principal } from "./roles";

const MAX_WRITE_ATTEMPTS = 5;

async function runAction(id: number, principal: Principal, apply: (order: OrderRecord, items: OrderItemRecord[], now: string) => ActionResult) {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const found = await getOrderWithDetails(id, { consistentRead: true });
    if (!found) throw new NotFoundError("Order", id);
    requireStorefrontAccess(principal, found.order.storefront_id);
    const result = apply(found.order, found.items, new Date().toISOString());
    if (await replaceOrder(result.order, found.order.version, result.changedItems, [])) {
      const items = found.items.map((item) => result.changedItems.find((changed) => changed.order_item_id === item.order_item_id) ?? item);
      return { ...orderView(result.order), items: items.map((item) => orderItemView(item, result.order.currency)) };
    }
  }
  throw new ConflictError("concurrent_update", `Order ${id} kept changing while this request tried to write it; retry`);
}

export const confirm = (id: number, principal: Principal) => runAction(id, principal, (order, _items, now) => confirmOrder(order, now));

export const fulfill = (id: number, input: FulfillOrderInput, principal: Principal) =>
  runAction(id, principal, (order, items, now) => fulfillOrder(order, items, input, now));

export const cancel = (id: number, input: RestockInput, principal: Principal) =>
  runAction(id, principal, (order, items, now) => cancelOrder(order, items, input.restock, now));

export const refund = (id: number, input: RestockInput, principal: Principal) =>
  runAction(id, principal, (order, items, now) => refundOrder(order, items, input.restock, now));
