/**
 * The wiring table: every function of the hub, what triggers it, and what it
 * may touch. The CDK stack (infra/stack.ts) and the local stack
 * (infra/local/) are both generated from this list, so they cannot drift apart.
 */
import type { Operation } from "../shared/api/operation";
import { storefrontOperations } from "../shared/schemas/storefront";
import { productOperations } from "../shared/schemas/product";
import { variantOperations } from "../shared/schemas/variant";
import { categoryOperations } from "../shared/schemas/category";
import { documentedOrderOperations } from "../shared/schemas/order-responses";
import { customerOperations } from "../shared/schemas/customer";
import { paymentOperations } from "../shared/schemas/payment";
import { shippingOperations } from "../shared/schemas/shipping";
import { webhookOperations } from "../shared/schemas/webhook";
import { WEBHOOK_MAX_RECEIVES, WEBHOOK_QUEUE } from "../shared/webhooks/queue";
import { cartOperations } from "../shared/schemas/cart";
import { EMAIL_EVENTS_QUEUE, RECOVERY_EMAIL_QUEUE } from "../shared/carts/queues";
import { openApiOperation } from "../shared/api/openapi-operation";
import { analyticsOperations } from "../shared/schemas/analytics";
import { syncOperations } from "../shared/schemas/sync";
import { SYNC_MAX_RECEIVES, SYNC_QUEUE } from "../shared/sync/queue";
import { STOCK_PUSH_MAX_RECEIVES, STOCK_PUSH_QUEUE } from "../shared/stock/queue";

/** A queue of the hub; every queue gets a dead-letter queue. */
export interface QueueSpec {
  name: string;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
}

/** A Lambda event filter pattern on DynamoDB stream records, e.g. `{ dynamodb: { NewImage: { entity: { S: ["order"] } } } }`. */
export type StreamFilterPattern = Record<string, unknown>;

export type Trigger =
  | { type: "http"; operation: Operation }
  | { type: "authorizer"; identityHeader: string; cacheTtlSeconds: number }
  | { type: "stream"; filters: StreamFilterPattern[]; batchSize: number; maxRetries: number }
  | { type: "queue"; queue: string; batchSize: number }
  | { type: "schedule"; expression: string };

export interface Access {
  table?: "read" | "readWrite";
  /** Names of queues the function sends to. */
  sendTo?: string[];
  /** Storefront credentials: encrypt on write, decrypt where a connector uses them. */
  credentials?: "encrypt" | "decrypt" | "encryptDecrypt";
  sendEmail?: boolean;
}

export interface FunctionSpec {
  /** Unique, kebab-case; becomes part of the Lambda function name. */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  trigger: Trigger;
  access: Access;
  memoryMb?: number;
  timeoutSeconds?: number;
}

export const queues: QueueSpec[] = [
  // Webhook deliveries to process; the worker backs off between tries and marks a delivery failed on the last one.
  { name: WEBHOOK_QUEUE, visibilityTimeoutSeconds: 60, maxReceiveCount: WEBHOOK_MAX_RECEIVES },
  // Recovery emails to send, one (cart, step) each; a send SES refuses is retried, then dead-lettered.
  { name: RECOVERY_EMAIL_QUEUE, visibilityTimeoutSeconds: 60, maxReceiveCount: 5 },
  // SES bounce and complaint events, from the configuration set's SNS topic.
  { name: EMAIL_EVENTS_QUEUE, visibilityTimeoutSeconds: 30, maxReceiveCount: 5 },
  // Platform sync runs, one (storefront, kind) each; longer than the worker's timeout, so that a run is not received twice at once.
  { name: SYNC_QUEUE, visibilityTimeoutSeconds: 960, maxReceiveCount: SYNC_MAX_RECEIVES },
  // SKUs whose ERP quantity is to be pushed to their listings; longer than the worker's timeout.
  { name: STOCK_PUSH_QUEUE, visibilityTimeoutSeconds: 120, maxReceiveCount: STOCK_PUSH_MAX_RECEIVES },
];

const http = (name: string, entry: string, operation: Operation, access: Access): FunctionSpec => ({
  name,
  entry,
  trigger: { type: "http", operation },
  access,
});

/** Stream records of orders (sk = ORDER): every import and status change. */
const ORDER_RECORDS = { dynamodb: { Keys: { sk: { S: ["ORDER"] } } } };

/** Analytics and reports, read from the aggregates the analytics-counters processor keeps. */
const analyticsFunctions: FunctionSpec[] = [
  http("analytics", "functions/http/analytics/analytics.ts", analyticsOperations.analytics, { table: "read" }),
  http("reports-sales-summary", "functions/http/analytics/sales-summary.ts", analyticsOperations.salesSummary, { table: "read" }),
  http("reports-product-sync-status", "functions/http/analytics/product-sync-status.ts", analyticsOperations.productSyncStatus, { table: "read" }),
  http("reports-abandoned-carts-summary", "functions/http/analytics/abandoned-carts-summary.ts", analyticsOperations.abandonedCartsSummary, { table: "read" }),
  {
    name: "analytics-counters",
    entry: "functions/streams/analytics-counters.ts",
    trigger: { type: "stream", filters: [{ dynamodb: { Keys: { sk: { S: ["ORDER", "CART", "CUSTOMER"] } } } }], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite" },
  },
];

/** Carts, abandonment and recovery emails. */
const cartFunctions: FunctionSpec[] = [
  http("carts-upsert", "functions/http/carts/upsert.ts", cartOperations.upsert, { table: "readWrite" }),
  http("carts-get", "functions/http/carts/get.ts", cartOperations.get, { table: "read" }),
  http("carts-abandoned", "functions/http/carts/abandoned.ts", cartOperations.listAbandoned, { table: "read" }),
  http("carts-recover", "functions/http/carts/recover.ts", cartOperations.recover, { table: "read", sendTo: [RECOVERY_EMAIL_QUEUE] }),
  http("carts-unsubscribe", "functions/http/carts/unsubscribe.ts", cartOperations.unsubscribe, { table: "readWrite", credentials: "decrypt" }),
  http("carts-unsubscribe-one-click", "functions/http/carts/unsubscribe-one-click.ts", cartOperations.unsubscribeOneClick, { table: "readWrite", credentials: "decrypt" }),
  {
    name: "cart-counters",
    entry: "functions/streams/cart-counters.ts",
    trigger: { type: "stream", filters: [{ dynamodb: { Keys: { sk: { S: ["CART"] } } } }], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite" },
  },
  {
    name: "cart-conversion",
    entry: "functions/streams/cart-conversion.ts",
    // Orders that name their cart or checkout.
    trigger: {
      type: "stream",
      filters: [
        { eventName: ["INSERT", "MODIFY"], dynamodb: { Keys: { sk: { S: ["ORDER"] } }, NewImage: { checkout_token: { S: [{ exists: true }] } } } },
        { eventName: ["INSERT", "MODIFY"], dynamodb: { Keys: { sk: { S: ["ORDER"] } }, NewImage: { cart_token: { S: [{ exists: true }] } } } },
      ],
      batchSize: 100,
      maxRetries: 10,
    },
    access: { table: "readWrite" },
  },
  {
    name: "cart-schedule",
    entry: "functions/schedules/cart-schedule.ts",
    trigger: { type: "schedule", expression: "rate(5 minutes)" },
    access: { table: "readWrite", sendTo: [RECOVERY_EMAIL_QUEUE] },
    timeoutSeconds: 300,
  },
  {
    name: "recovery-email-worker",
    entry: "functions/queues/recovery-email-worker.ts",
    trigger: { type: "queue", queue: RECOVERY_EMAIL_QUEUE, batchSize: 10 },
    // Makes the unsubscribe-link signing key on first use: encrypt and decrypt.
    access: { table: "readWrite", sendEmail: true, credentials: "encryptDecrypt" },
  },
  {
    name: "email-events-worker",
    entry: "functions/queues/email-events-worker.ts",
    trigger: { type: "queue", queue: EMAIL_EVENTS_QUEUE, batchSize: 10 },
    access: { table: "readWrite" },
  },
];
/** Platform sync (scheduled and on request) and inventory pushed to or taken from the platforms. */
const syncFunctions: FunctionSpec[] = [
  http("sync-runs-list", "functions/http/sync/runs-list.ts", syncOperations.listRuns, { table: "read" }),
  http("storefronts-sync", "functions/http/sync/request.ts", syncOperations.request, { table: "readWrite", sendTo: [SYNC_QUEUE] }),
  http("inventory-sync-status", "functions/http/inventory/sync-status.ts", syncOperations.inventoryStatus, { table: "read" }),
  {
    ...http("inventory-sync", "functions/http/inventory/sync.ts", syncOperations.inventorySync, { table: "readWrite", credentials: "decrypt" }),
    timeoutSeconds: 29,
  },
  {
    name: "sync-schedule",
    entry: "functions/schedules/sync-schedule.ts",
    trigger: { type: "schedule", expression: "rate(1 minute)" },
    access: { table: "readWrite", sendTo: [SYNC_QUEUE] },
    timeoutSeconds: 60,
  },
  {
    name: "sync-worker",
    entry: "functions/queues/sync-worker.ts",
    // One run per invocation: a run may take minutes of platform calls.
    trigger: { type: "queue", queue: SYNC_QUEUE, batchSize: 1 },
    // sendTo gives the worker its own queue's URL, to set each failed message's retry delay.
    access: { table: "readWrite", sendTo: [SYNC_QUEUE], credentials: "decrypt" },
    timeoutSeconds: 900,
    memoryMb: 512,
  },
  {
    name: "channel-stock",
    entry: "functions/streams/channel-stock.ts",
    // Products and variants (sk = PRODUCT or VARIANT#...); the processor skips what does not list a SKU or change its stock.
    trigger: { type: "stream", filters: [{ dynamodb: { Keys: { sk: { S: ["PRODUCT", { prefix: "VARIANT#" }] } } } }], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite", sendTo: [STOCK_PUSH_QUEUE] },
  },
  {
    name: "stock-push-worker",
    entry: "functions/queues/stock-push-worker.ts",
    trigger: { type: "queue", queue: STOCK_PUSH_QUEUE, batchSize: 10 },
    // sendTo gives the worker its own queue's URL, to set each failed message's retry delay.
    access: { table: "readWrite", sendTo: [STOCK_PUSH_QUEUE], credentials: "decrypt" },
    timeoutSeconds: 90,
  },
];

export const functions: FunctionSpec[] = [
  {
    name: "api-key-authorizer",
    entry: "functions/http/authorizer.ts",
    trigger: { type: "authorizer", identityHeader: "Authorization", cacheTtlSeconds: 300 },
    access: { table: "read" },
  },
  http("openapi", "functions/http/openapi.ts", openApiOperation, {}),
  http("storefronts-create", "functions/http/storefronts/create.ts", storefrontOperations.create, { table: "readWrite", credentials: "encrypt" }),
  http("storefronts-list", "functions/http/storefronts/list.ts", storefrontOperations.list, { table: "read" }),
  http("storefronts-get", "functions/http/storefronts/get.ts", storefrontOperations.get, { table: "read" }),
  // Decrypt too: an update that changes the platform address tests the connection with the stored credentials.
  http("storefronts-update", "functions/http/storefronts/update.ts", storefrontOperations.update, { table: "readWrite", credentials: "encryptDecrypt" }),
  http("storefronts-delete", "functions/http/storefronts/delete.ts", storefrontOperations.delete, { table: "readWrite" }),
  http("products-list", "functions/http/products/list.ts", productOperations.list, { table: "read" }),
  http("products-upsert", "functions/http/products/upsert.ts", productOperations.upsert, { table: "readWrite" }),
  http("products-get", "functions/http/products/get.ts", productOperations.get, { table: "read" }),
  http("products-update", "functions/http/products/update.ts", productOperations.update, { table: "readWrite" }),
  http("products-delete", "functions/http/products/delete.ts", productOperations.delete, { table: "readWrite" }),
  http("variants-list", "functions/http/products/variants/list.ts", variantOperations.list, { table: "read" }),
  http("variants-create", "functions/http/products/variants/create.ts", variantOperations.create, { table: "readWrite" }),
  http("variants-update", "functions/http/products/variants/update.ts", variantOperations.update, { table: "readWrite" }),
  http("variants-delete", "functions/http/products/variants/delete.ts", variantOperations.delete, { table: "readWrite" }),
  http("categories-list", "functions/http/categories/list.ts", categoryOperations.list, { table: "read" }),
  http("categories-create", "functions/http/categories/create.ts", categoryOperations.create, { table: "readWrite" }),
  http("categories-get", "functions/http/categories/get.ts", categoryOperations.get, { table: "read" }),
  http("categories-update", "functions/http/categories/update.ts", categoryOperations.update, { table: "readWrite" }),
  http("categories-delete", "functions/http/categories/delete.ts", categoryOperations.delete, { table: "readWrite" }),
  {
    name: "catalog-counters",
    entry: "functions/streams/catalog-counters.ts",
    // Every product change; the processor applies each exactly once.
    trigger: { type: "stream", filters: [{ dynamodb: { Keys: { sk: { S: ["PRODUCT"] } } } }], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite" },
  },
  {
    name: "category-paths",
    entry: "functions/streams/category-paths.ts",
    trigger: { type: "stream", filters: [{ eventName: ["INSERT", "MODIFY"], dynamodb: { Keys: { sk: { S: ["CATEGORY"] } } } }], batchSize: 25, maxRetries: 10 },
    access: { table: "readWrite" },
  },
  {
    name: "sku-index",
    entry: "functions/streams/sku-index.ts",
    // Products and variants (sk = PRODUCT or VARIANT#...); the processor skips those whose SKU did not change.
    trigger: { type: "stream", filters: [{ dynamodb: { Keys: { sk: { S: ["PRODUCT", { prefix: "VARIANT#" }] } } } }], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite" },
  },
  http("orders-import", "functions/http/orders/import.ts", documentedOrderOperations.import, { table: "readWrite" }),
  http("orders-list", "functions/http/orders/list.ts", documentedOrderOperations.list, { table: "read" }),
  http("orders-get", "functions/http/orders/get.ts", documentedOrderOperations.get, { table: "read" }),
  http("orders-confirm", "functions/http/orders/confirm.ts", documentedOrderOperations.confirm, { table: "readWrite" }),
  http("orders-fulfill", "functions/http/orders/fulfill.ts", documentedOrderOperations.fulfill, { table: "readWrite" }),
  http("orders-cancel", "functions/http/orders/cancel.ts", documentedOrderOperations.cancel, { table: "readWrite" }),
  http("orders-refund", "functions/http/orders/refund.ts", documentedOrderOperations.refund, { table: "readWrite" }),
  http("payments-record", "functions/http/payments/record.ts", paymentOperations.record, { table: "readWrite" }),
  http("payments-list", "functions/http/payments/list.ts", paymentOperations.list, { table: "read" }),
  http("shipping-methods-list", "functions/http/shipping/list.ts", shippingOperations.list, { table: "read" }),
  http("shipping-methods-create", "functions/http/shipping/create.ts", shippingOperations.create, { table: "readWrite" }),
  http("shipping-methods-get", "functions/http/shipping/get.ts", shippingOperations.get, { table: "read" }),
  http("shipping-methods-update", "functions/http/shipping/update.ts", shippingOperations.update, { table: "readWrite" }),
  http("shipping-methods-delete", "functions/http/shipping/delete.ts", shippingOperations.delete, { table: "readWrite" }),
  http("shipping-rates", "functions/http/shipping/rates.ts", shippingOperations.rates, { table: "read" }),
  http("customers-list", "functions/http/customers/list.ts", customerOperations.list, { table: "read" }),
  http("customers-get", "functions/http/customers/get.ts", customerOperations.get, { table: "read" }),
  http("customers-update", "functions/http/customers/update.ts", customerOperations.update, { table: "readWrite" }),
  {
    name: "order-counters",
    entry: "functions/streams/order-counters.ts",
    trigger: { type: "stream", filters: [ORDER_RECORDS], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite" },
  },
  {
    name: "customer-stats",
    entry: "functions/streams/customer-stats.ts",
    trigger: { type: "stream", filters: [{ eventName: ["INSERT", "MODIFY"], ...ORDER_RECORDS }], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite" },
  },
  {
    name: "order-totals",
    entry: "functions/streams/order-totals.ts",
    // Every write of an order item (sk = ITEM#...).
    trigger: { type: "stream", filters: [{ dynamodb: { Keys: { sk: { S: [{ prefix: "ITEM#" }] } } } }], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite" },
  },
  {
    name: "inventory",
    entry: "functions/streams/inventory.ts",
    // Item changes only: fulfilment and restock modify existing items.
    trigger: { type: "stream", filters: [{ eventName: ["MODIFY"], dynamodb: { Keys: { sk: { S: [{ prefix: "ITEM#" }] } } } }], batchSize: 100, maxRetries: 10 },
    access: { table: "readWrite" },
  },
  http("webhooks-shopify", "functions/http/webhooks/shopify.ts", webhookOperations.shopify, { table: "readWrite", sendTo: [WEBHOOK_QUEUE], credentials: "decrypt" }),
  http("webhooks-woocommerce", "functions/http/webhooks/woocommerce.ts", webhookOperations.woocommerce, { table: "readWrite", sendTo: [WEBHOOK_QUEUE], credentials: "decrypt" }),
  http("webhooks-generic", "functions/http/webhooks/generic.ts", webhookOperations.generic, { table: "readWrite", sendTo: [WEBHOOK_QUEUE], credentials: "decrypt" }),
  http("webhook-deliveries-list", "functions/http/webhooks/deliveries-list.ts", webhookOperations.listDeliveries, { table: "read" }),
  http("webhook-deliveries-replay", "functions/http/webhooks/deliveries-replay.ts", webhookOperations.replay, { table: "readWrite", sendTo: [WEBHOOK_QUEUE] }),
  {
    name: "webhook-worker",
    entry: "functions/queues/webhook-worker.ts",
    trigger: { type: "queue", queue: WEBHOOK_QUEUE, batchSize: 10 },
    // sendTo gives the worker its own queue's URL, to set each failed message's retry delay.
    access: { table: "readWrite", sendTo: [WEBHOOK_QUEUE] },
  },
  ...cartFunctions,
  ...analyticsFunctions,
  ...syncFunctions,
];


export const httpOperations = (): Operation[] =>
  functions.flatMap((fn) => (fn.trigger.type === "http" ? [fn.trigger.operation] : []));

/** The environment variable that carries a queue's URL to the functions that send to it. */
export { queueUrlEnvName } from "../shared/queue-names";
