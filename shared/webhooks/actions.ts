/**
 * What a webhook delivery asks of the hub, in the REST API's own terms: each
 * platform's mapper (shopify.ts, woocommerce.ts, generic.ts) turns a payload
 * into these, and the worker applies them through the same domain code and
 * the same request schemas as the API routes, so that a webhook and the
 * equivalent API call give identical records. Bodies are the REST bodies
 * without `storefront_id` (the delivery's storefront supplies it); they are
 * validated when applied, so a mapper passes on what the platform sent.
 */
export type Body = Record<string, unknown>;

export type WebhookAction =
  /** POST /api/ecommerce/orders: create or update by external_order_id (older updated_at changes nothing). */
  | { type: "import_order"; body: Body }
  /**
   * POST /api/ecommerce/products, then each variant created or updated by its
   * external_variant_id (bodies of POST/PUT /products/{id}/variants), and
   * variants the platform no longer lists removed when `replaceVariants`.
   */
  | { type: "upsert_product"; body: Body; variants: Body[]; replaceVariants: boolean }
  /** The product with this external id is unpublished (it may have orders, so it is not deleted). */
  | { type: "remove_product"; external_product_id: string }
  /**
   * A stock level: the variant (by external variant id, or by the platform's
   * inventory item id kept in its external metadata) or the product is set to
   * `inventory_quantity`.
   */
  | {
      type: "set_inventory";
      external_product_id?: string;
      external_variant_id?: string;
      inventory_item_id?: string;
      /** The location the level is at (Shopify): the stock set is then the sum over the item's locations. */
      location_id?: string;
      sku?: string;
      inventory_quantity: number;
      updated_at?: string;
    }
  /** A customer created or updated on the platform: found by external id, else email, else created; names, phone, consent set. */
  | { type: "upsert_customer"; body: Body }
  /** A refund on the platform: recorded against the order's payments (bodies of POST /orders/{id}/payments, type refund). */
  | { type: "record_refund"; external_order_id: string; payments: Body[] }
  /** A checkout (cart) created or updated: kept for abandoned-cart recovery. */
  | { type: "upsert_cart"; body: Body }
  /** Nothing to do, with the reason recorded on the delivery. */
  | { type: "ignore"; reason: string };

/** A payload the mapper cannot read: the delivery fails without retry. */
export class UnreadablePayloadError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "UnreadablePayloadError";
  }
}
