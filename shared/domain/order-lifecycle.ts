/**
 * The order lifecycle: which action each status allows, and what confirm,
 * fulfil, cancel and refund do to an order and its items. Pure: the caller
 * reads the order, applies one of these and writes the result conditionally.
 *
 *   pending ──confirm──▶ confirmed ──fulfil (part)──▶ processing ──fulfil (rest)──▶ fulfilled
 *      └───────fulfil─────────┘                                                      │
 *   pending | confirmed | processing ──cancel──▶ cancelled                            │
 *   confirmed | processing | fulfilled ──refund──▶ refunded ◀─────────────────────────┘
 */
import { ConflictError, ValidationError } from "../http/errors";
import type { FulfillOrderInput, OrderStatus } from "../schemas/order";
import type { OrderItemRecord, OrderRecord } from "./order-records";

export type OrderAction = "confirm" | "fulfill" | "cancel" | "refund";

const ALLOWED_FROM: Record<OrderAction, readonly OrderStatus[]> = {
  confirm: ["pending"],
  fulfill: ["pending", "confirmed", "processing"],
  cancel: ["pending", "confirmed", "processing"],
  refund: ["confirmed", "processing", "fulfilled"],
};

const TARGET: Record<OrderAction, OrderStatus> = { confirm: "confirmed", fulfill: "fulfilled", cancel: "cancelled", refund: "refunded" };

export function assertTransition(order: OrderRecord, action: OrderAction): void {
  if (ALLOWED_FROM[action].includes(order.order_status)) return;
  throw new ConflictError(
    "invalid_transition",
    `Order ${order.ecommerce_order_id} is ${order.order_status} and cannot be ${TARGET[action]} (${action} is allowed from ${ALLOWED_FROM[action].join(", ")})`,
    { current_status: order.order_status, requested_status: TARGET[action] },
  );
}

export interface ActionResult {
  order: OrderRecord;
  /** The items the action changed (only these are written). */
  changedItems: OrderItemRecord[];
}

const bump = (order: OrderRecord, changes: Partial<OrderRecord>, now: string): OrderRecord => ({ ...order, ...changes, updated_at: now, version: order.version + 1 });

export function confirmOrder(order: OrderRecord, now: string): ActionResult {
  assertTransition(order, "confirm");
  return { order: bump(order, { order_status: "confirmed" }, now), changedItems: [] };
}

/** Fulfils the chosen quantities (or everything left); the order is fulfilled once every item is. */
export function fulfillOrder(order: OrderRecord, items: OrderItemRecord[], input: FulfillOrderInput, now: string): ActionResult {
  assertTransition(order, "fulfill");
  const wanted = input.items ?? items.filter((item) => item.fulfilled_quantity < item.quantity).map((item) => ({ order_item_id: item.order_item_id, quantity: item.quantity - item.fulfilled_quantity }));
  const issues = wanted.flatMap((want, index) => {
    const item = items.find((each) => each.order_item_id === want.order_item_id);
    if (!item) return [{ field: `body.items.${index}.order_item_id`, message: `is not an item of order ${order.ecommerce_order_id}` }];
    const open = item.quantity - item.fulfilled_quantity;
    return want.quantity > open ? [{ field: `body.items.${index}.quantity`, message: `must be at most ${open}, the quantity not yet fulfilled` }] : [];
  });
  if (issues.length > 0) throw new ValidationError(issues);
  if (wanted.length === 0) throw new ConflictError("nothing_to_fulfill", `Every item of order ${order.ecommerce_order_id} is fulfilled already`);

  const changedItems = wanted.map((want) => {
    const item = items.find((each) => each.order_item_id === want.order_item_id)!;
    const fulfilled = item.fulfilled_quantity + want.quantity;
    return { ...item, fulfilled_quantity: fulfilled, fulfillment_status: fulfilled === item.quantity ? ("fulfilled" as const) : ("partially_fulfilled" as const) };
  });
  const after = items.map((item) => changedItems.find((changed) => changed.order_item_id === item.order_item_id) ?? item);
  const complete = after.every((item) => item.fulfilled_quantity === item.quantity);
  return {
    order: bump(
      order,
      {
        order_status: complete ? "fulfilled" : "processing",
        fulfillment_status: complete ? "fulfilled" : "partially_fulfilled",
        fulfilled_at: complete ? now : order.fulfilled_at,
        shipping_carrier: input.shipping_carrier ?? order.shipping_carrier,
        tracking_number: input.tracking_number ?? order.tracking_number,
        tracking_url: input.tracking_url ?? order.tracking_url,
      },
      now,
    ),
    changedItems,
  };
}

/** With restock, every fulfilled unit not yet given back returns to stock (the inventory processor applies it). */
function restocked(items: OrderItemRecord[], restock: boolean): OrderItemRecord[] {
  if (!restock) return [];
  return items.filter((item) => item.restocked_quantity < item.fulfilled_quantity).map((item) => ({ ...item, restocked_quantity: item.fulfilled_quantity }));
}

export function cancelOrder(order: OrderRecord, items: OrderItemRecord[], restock: boolean, now: string): ActionResult {
  assertTransition(order, "cancel");
  return { order: bump(order, { order_status: "cancelled", cancelled_at: now }, now), changedItems: restocked(items, restock) };
}

export function refundOrder(order: OrderRecord, items: OrderItemRecord[], restock: boolean, now: string): ActionResult {
  assertTransition(order, "refund");
  return { order: bump(order, { order_status: "refunded", payment_status: "refunded" }, now), changedItems: restocked(items, restock) };
}
