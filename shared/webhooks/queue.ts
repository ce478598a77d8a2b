/** The webhook queue, as both its consumer and the wiring table know it. */
export const WEBHOOK_QUEUE = "webhooks";
/** Receives before a delivery's message goes to the dead-letter queue (the queue's redrive policy). */
export const WEBHOOK_MAX_RECEIVES = 5;
