/**
 * The channel-stock processor: the ERP quantity of each SKU follows the hub's
 * own changes of stock on any of its listings (an order fulfilled or restocked
 * on any channel, an API update), and each change asks for a push of the new
 * quantity to every listing (shared/stock/push.ts).
 *
 * - A new listing (a product or variant created, or given a SKU) takes the
 *   SKU's ERP quantity; the first push of a SKU opens its ERP stock with the
 *   quantity of its oldest listing then (after the push window, so that a
 *   product imported with its variants one write at a time is seen whole).
 * - A change of quantity by the hub moves the ERP quantity by the same amount;
 *   a quantity the hub is told becomes the ERP quantity; each once per stream
 *   record (apply-once marker).
 * - A platform's report of its level changes no ERP quantity: the number the
 *   platform shows is remembered, so that a later push sends only what differs;
 *   the ERP quantity copied back onto a listing changes nothing (see
 *   shared/stock/listing.ts).
 * Pushes are coalesced: a SKU with a push queued asks for none until it starts.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { storefrontsOfProducts } from "../data/products";
import { addStockListing, changeErpStock, recordPublished, recordReflected, removeStockListing, requestStockPush } from "../data/erp-stock";
import { logger } from "../logger";
import { sendToQueue } from "../queues";
import { isVariantImage, listingChangesOf, listingRefOf, type ListingChange } from "../stock/listing";
import { STOCK_PUSH_QUEUE, STOCK_PUSH_STALE_MS, STOCK_PUSH_WINDOW_SECONDS, type StockPushMessage } from "../stock/queue";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

export const CHANNEL_STOCK_CONSUMER = "channel-stock";

type Image = Record<string, unknown>;

/** The storefronts of the variants' products (a variant's image does not carry it), in one round trip. */
async function storefrontsOf(records: DynamoDBRecord[]): Promise<Map<number, number>> {
  const productIds = new Set<number>();
  for (const record of records) {
    const image = imagesOf(record).after;
    if (image && isVariantImage(image)) productIds.add(Number(image.ecommerce_product_id));
  }
  return productIds.size === 0 ? new Map() : storefrontsOfProducts([...productIds]);
}

/** Applies one change; returns the SKU whose listings are to get a push, if any. */
async function apply(change: ListingChange, image: Image, storefrontId: number | undefined, eventId: string, now: string): Promise<string | undefined> {
  const ref = listingRefOf(image);
  switch (change.kind) {
    case "unlisted":
      await removeStockListing(change.sku, ref);
      return undefined;
    case "listed":
      // A variant whose product is gone lists nothing any more.
      if (storefrontId === undefined) return undefined;
      await addStockListing(change.sku, ref, storefrontId, change.seq, change.reported ? change.quantity : undefined);
      return change.sku;
    case "reported":
      // What the platform shows now: a later push sends the ERP's number only where it differs.
      await recordPublished(change.sku, ref, change.quantity, now);
      return undefined;
    case "moved":
    case "set": {
      const changed = await changeErpStock(change.sku, change.kind === "moved" ? { delta: change.delta } : { quantity: change.quantity }, { consumer: CHANNEL_STOCK_CONSUMER, eventId }, now);
      // Not open yet (or listed before the hub kept ERP stock): the push opens it from the listings as they are then.
      if (changed === "missing" && storefrontId !== undefined) await addStockListing(change.sku, ref, storefrontId, change.seq);
      // Now the push may copy the ERP quantity onto this listing again (applied before, or found applied: said again on a retry).
      else await recordReflected(change.sku, ref, change.seq);
      return change.sku;
    }
  }
}

async function askForPush(sku: string): Promise<void> {
  if (!(await requestStockPush(sku, new Date(), STOCK_PUSH_STALE_MS))) return;
  const message: StockPushMessage = { sku };
  await sendToQueue(STOCK_PUSH_QUEUE, message, { delaySeconds: STOCK_PUSH_WINDOW_SECONDS });
}

export async function updateChannelStock(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  let storefronts: Map<number, number>;
  try {
    storefronts = await storefrontsOf(records);
  } catch (error) {
    logger.error("cannot read the storefronts of a batch of catalog changes; the batch will be retried", { error: error as Error });
    return failuresFrom(records, 0);
  }
  for (const [index, record] of records.entries()) {
    try {
      const { before, after } = imagesOf(record);
      const image = (after ?? before)!;
      const storefrontId = isVariantImage(image) ? storefronts.get(Number(image.ecommerce_product_id)) : Number(image.storefront_id);
      const now = new Date().toISOString();
      const skus = new Set<string>();
      for (const change of listingChangesOf(before, after)) {
        const sku = await apply(change, image, storefrontId, record.eventID!, now);
        if (sku !== undefined) skus.add(sku);
      }
      // Asked for again when the record is retried: the ERP move itself is applied once.
      for (const sku of skus) await askForPush(sku);
    } catch (error) {
      logger.error("cannot apply a catalog change to the ERP stock; this record and the ones after it will be retried", { eventId: record.eventID, error: error as Error });
      return failuresFrom(records, index);
    }
  }
  return failuresFrom(records, undefined);
}
