/**
 * A push of one SKU: its ERP quantity copied onto every listing in the hub,
 * and published to every storefront that lists it, by that storefront's rules
 * (safety buffer, percentage, maximum: shared/domain/stock-rules.ts). A
 * platform is called only for the listings whose published number changes,
 * all of a storefront's in one call.
 *
 * A storefront is published to while it is active, has a connector, syncs
 * inventory automatically and its credentials have not been refused. A platform that
 * refuses the credentials sets the connection in error (and the storefront is
 * left out until fixed); any other platform failure fails the push, to be
 * retried: the listings published already are not sent again.
 */
import { batchGetItems, keyString, type TableKey } from "../data/batch";
import { clearStockPushRequest, copyErpQuantity, openErpStock, readErpStock, recordPublished, removeStockListing, type StockListingEntry } from "../data/erp-stock";
import { productKey } from "../data/products";
import { getStorefront, markConnectionRejected, type StorefrontItem } from "../data/storefronts";
import { variantKey } from "../data/variants";
import { connectorFor, ConnectorNotConfigured, CredentialsRejected, type InventoryLevel, type PlatformConnector } from "../connectors/connector";
import { syncsAutomatically } from "../sync/schedule";
import { publishedQuantity, stockRulesOf } from "../domain/stock-rules";
import { logger } from "../logger";
import { skuListedBy } from "./listing";

type Item = Record<string, unknown>;

export interface PushDeps {
  connectorFor?: (storefront: StorefrontItem) => PlatformConnector;
}

export interface PushOutcome {
  /** Listings whose hub quantity was set to the ERP quantity. */
  copied: number;
  /** Listings whose new number the platforms took. */
  published: number;
  /** Storefronts whose platform failed (to be retried). */
  failedStorefronts: number[];
}

/** Published to while it syncs automatically (active, a connector, credentials not refused) and syncs inventory. */
export const publishesStock = (storefront: StorefrontItem) => syncsAutomatically(storefront) && storefront.auto_sync_inventory;

const recordKeyOf = (listing: StockListingEntry): TableKey => (listing.variantId === null ? productKey(listing.productId) : variantKey(listing.productId, listing.variantId));

interface LiveListing {
  entry: StockListingEntry;
  record: Item;
  product: Item;
}

/** The listings still selling the SKU, as they are now; stale entries are dropped. */
async function liveListings(sku: string, entries: StockListingEntry[]): Promise<LiveListing[]> {
  const found = await batchGetItems(entries.flatMap((entry) => [productKey(entry.productId), recordKeyOf(entry)]), { consistentRead: true });
  const live: LiveListing[] = [];
  for (const entry of entries) {
    const product = found.get(keyString(productKey(entry.productId)));
    const record = found.get(keyString(recordKeyOf(entry)));
    if (!product || !record || skuListedBy(record) !== sku) {
      await removeStockListing(sku, entry);
      continue;
    }
    live.push({ entry, record, product });
  }
  return live;
}

/**
 * Opens the SKU's ERP stock with the quantity of its oldest listing whose own
 * stock changes have all been seen by the stream processor (else they would
 * be counted twice); the quantity it has once open, or undefined when it
 * cannot open yet (the change on its way asks for another push).
 */
async function openedQuantity(sku: string, listings: LiveListing[], now: string): Promise<number | undefined> {
  const settled = listings.find((listing) => Number(listing.record.stock_seq ?? 0) <= listing.entry.reflectedSeq);
  if (settled) {
    const from = { key: recordKeyOf(settled.entry), quantity: Number(settled.record.inventory_quantity ?? 0), seq: Number(settled.record.stock_seq ?? 0) };
    if (await openErpStock(sku, from, now)) return from.quantity;
  }
  return (await readErpStock(sku))?.stock.quantity ?? undefined;
}

const MAX_COPY_ATTEMPTS = 5;

/** Sets the listing's hub quantity to the ERP quantity, reading it again while it keeps changing under the write. */
async function copyOnto(listing: LiveListing, quantity: number, now: string): Promise<boolean> {
  let record = listing.record;
  for (let attempt = 0; attempt < MAX_COPY_ATTEMPTS; attempt++) {
    const read = { quantity: Number(record.inventory_quantity ?? 0), version: Number(record.version ?? 0) };
    if (read.quantity === quantity) return false;
    // A change of its own on its way to the ERP quantity: copying now would undo it for a while; its own push copies.
    if (Number(record.stock_seq ?? 0) > listing.entry.reflectedSeq) return false;
    if ((await copyErpQuantity(listing.entry, read, quantity, now)) === "written") return true;
    const again = (await batchGetItems([recordKeyOf(listing.entry)], { consistentRead: true })).get(keyString(recordKeyOf(listing.entry)));
    if (!again) return false;
    record = again;
  }
  throw new Error(`the stock of product ${listing.entry.productId} kept changing while the ERP quantity was copied onto it`);
}

const levelOf = (listing: LiveListing, quantity: number): InventoryLevel => {
  const { record, product, entry } = listing;
  const sku = entry.variantId === null ? product.external_sku : record.sku;
  return {
    external_product_id: String(product.external_product_id),
    ...(entry.variantId !== null && record.external_variant_id ? { external_variant_id: String(record.external_variant_id) } : {}),
    ...(typeof sku === "string" && sku !== "" ? { sku } : {}),
    quantity,
  };
};

async function publishTo(storefront: StorefrontItem, sku: string, changes: { listing: LiveListing; quantity: number }[], deps: PushDeps, now: string): Promise<number> {
  let results;
  try {
    const connector = (deps.connectorFor ?? connectorFor)(storefront);
    results = await connector.setInventoryLevels(changes.map(({ listing, quantity }) => levelOf(listing, quantity)));
  } catch (error) {
    // Not set up to be called (no credentials, no address): nothing to retry until the storefront is completed.
    if (error instanceof ConnectorNotConfigured) {
      logger.warn("a storefront listing a SKU lacks what its platform needs; its stock is not published", { storefrontId: storefront.storefront_id, error: error.message });
      return 0;
    }
    if (!(error instanceof CredentialsRejected)) throw error;
    logger.warn("the platform refused a storefront's credentials; its stock is no longer published", { storefrontId: storefront.storefront_id, status: error.status });
    await markConnectionRejected(storefront.storefront_id, error.platformMessage, now);
    return 0;
  }
  let published = 0;
  for (const [index, result] of results.entries()) {
    const { listing, quantity } = changes[index]!;
    if (!result.ok) {
      logger.warn("the platform refused a stock level", { storefrontId: storefront.storefront_id, sku, productId: listing.entry.productId, error: result.error });
      continue;
    }
    await recordPublished(sku, listing.entry, quantity, now);
    published += 1;
  }
  return published;
}

export async function pushSku(sku: string, deps: PushDeps = {}): Promise<PushOutcome> {
  const outcome: PushOutcome = { copied: 0, published: 0, failedStorefronts: [] };
  // Cleared before reading: a change from now on asks for a push of its own.
  await clearStockPushRequest(sku);
  const read = await readErpStock(sku);
  if (!read) return outcome;
  const now = new Date().toISOString();
  const listings = await liveListings(sku, read.listings);
  // Copied as it is (a backordered SKU goes below zero); published never below zero (publishedQuantity).
  const available = read.stock.quantity ?? (await openedQuantity(sku, listings, now));
  if (available === undefined) return outcome;
  const storefronts = new Map<number, StorefrontItem | undefined>();
  const changes = new Map<number, { listing: LiveListing; quantity: number }[]>();
  for (const listing of listings) {
    if (await copyOnto(listing, available, now)) outcome.copied += 1;
    const storefrontId = listing.entry.storefrontId;
    if (!storefronts.has(storefrontId)) storefronts.set(storefrontId, await getStorefront(storefrontId));
    const storefront = storefronts.get(storefrontId);
    if (!storefront || !publishesStock(storefront)) continue;
    const published = publishedQuantity(available, stockRulesOf(storefront));
    if (published === listing.entry.publishedQuantity) continue;
    changes.set(storefrontId, [...(changes.get(storefrontId) ?? []), { listing, quantity: published }]);
  }
  for (const [storefrontId, levels] of changes) {
    try {
      outcome.published += await publishTo(storefronts.get(storefrontId)!, sku, levels, deps, now);
    } catch (error) {
      logger.warn("a platform failed while stock was published; the push will be retried", { storefrontId, sku, error: error as Error });
      outcome.failedStorefronts.push(storefrontId);
    }
  }
  return outcome;
}
