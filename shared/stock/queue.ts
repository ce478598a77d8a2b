/** The stock-push queue, as its producer (the channel-stock processor), its consumer and the wiring table know it. */
export const STOCK_PUSH_QUEUE = "stock-push";
/** Receives before a push's message goes to the dead-letter queue (the queue's redrive policy). */
export const STOCK_PUSH_MAX_RECEIVES = 5;
/**
 * How long a push waits after the first change that asks for it: the changes
 * to the SKU in that window go out together, as one push.
 */
export const STOCK_PUSH_WINDOW_SECONDS = 1;
/** A push asked for this long ago and not started is taken as lost, and asked for again. */
export const STOCK_PUSH_STALE_MS = 60_000;

export interface StockPushMessage {
  sku: string;
}
