/**
 * The hub's own webhook format ({ storefront_code, webhook_event, data }):
 * `data` is already a REST body (of POST /orders or POST /products) without
 * storefront_id, so mapping is mostly choosing the action.
 */
import { UnreadablePayloadError, type Body, type WebhookAction } from "./actions";
import { compact, idOf, ignore, payloadObject, records, requireId, textOf } from "./map-common";

type SetInventory = Extract<WebhookAction, { type: "set_inventory" }>;

/** What each order event implies when the data leaves the status out. */
const ORDER_EVENT_DEFAULTS: Record<string, Body> = {
  "order.created": {},
  "order.updated": {},
  "order.cancelled": { order_status: "cancelled" },
  "order.fulfilled": { order_status: "fulfilled", fulfillment_status: "fulfilled" },
};

export function mapGeneric(event: string, data: unknown): WebhookAction[] {
  const defaults = ORDER_EVENT_DEFAULTS[event];
  if (defaults) {
    const body = withoutStorefront(payloadObject(data, event));
    requireId(body, "external_order_id", event);
    return [{ type: "import_order", body: { ...defaults, ...compact(body) } }];
  }
  switch (event) {
    case "product.created":
    case "product.updated":
      return [productAction(withoutStorefront(payloadObject(data, event)), event)];
    case "inventory.updated":
      return [inventoryAction(payloadObject(data, event), event)];
    default:
      return ignore(`event ${event} is not handled`);
  }
}

/** The delivery's storefront is the one whose secret signed it: a body must not name another. */
function withoutStorefront(data: Body): Body {
  const { storefront_id: _ignored, ...body } = data;
  return body;
}

function productAction(data: Body, event: string): WebhookAction {
  requireId(data, "external_product_id", event);
  const { variants, ...body } = data;
  // Variants sent with the product are its whole list; without the key, the stored variants are left alone.
  return { type: "upsert_product", body, variants: records(variants), replaceVariants: Array.isArray(variants) };
}

function inventoryAction(data: Body, event: string): WebhookAction {
  const quantity = data.inventory_quantity;
  if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 0) {
    throw new UnreadablePayloadError(`${event}: inventory_quantity must be a whole number, not negative`, "inventory_quantity");
  }
  const target = { external_product_id: idOf(data.external_product_id), external_variant_id: idOf(data.external_variant_id), sku: textOf(data.sku) };
  if (Object.values(target).every((value) => value === undefined)) {
    throw new UnreadablePayloadError(`${event}: the payload names no external_product_id, external_variant_id or sku`, "external_product_id");
  }
  return { type: "set_inventory", ...(compact({ ...target, updated_at: textOf(data.updated_at) }) as Omit<SetInventory, "type" | "inventory_quantity">), inventory_quantity: quantity };
}
