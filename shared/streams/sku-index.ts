/**
 * The SKU index's stream processor: every product or variant whose SKU is
 * set, changed or removed moves its entry in the index (shared/data/sku-index.ts).
 * Puts and deletes of a given entry are idempotent, so redelivered records are
 * harmless; an entry left behind by an old record replayed out of order is
 * ignored by readers, which check candidates against the catalog.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { batchWriteItems, keyString, type TableKey } from "../data/batch";
import { storefrontsOfProducts } from "../data/products";
import { skuEntryItem, skuEntryKey, type SkuEntry } from "../data/sku-index";
import { logger } from "../logger";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

type Image = Record<string, unknown>;

/** A product's SKU on its storefront is external_sku; a variant's is sku. */
function skuOf(image: Image | undefined, isVariant: boolean): string | undefined {
  const sku = image?.[isVariant ? "sku" : "external_sku"];
  return typeof sku === "string" && sku !== "" ? sku : undefined;
}

interface SkuChange {
  isVariant: boolean;
  entry: SkuEntry;
  storefrontId: number | undefined;
  was: string | undefined;
  now: string | undefined;
}

function changeOf(record: DynamoDBRecord): SkuChange | undefined {
  const { before, after } = imagesOf(record);
  const image = (after ?? before)!;
  const isVariant = String(image.sk).startsWith("VARIANT#");
  const [was, now] = [skuOf(before, isVariant), skuOf(after, isVariant)];
  if (was === now) return undefined;
  const entry: SkuEntry = { ecommerce_product_id: Number(image.ecommerce_product_id), variant_id: isVariant ? Number(image.variant_id) : null };
  return { isVariant, entry, storefrontId: isVariant ? undefined : Number(image.storefront_id), was, now };
}

/**
 * The batch's SKU changes as one set of writes: each record deletes the entry
 * of its old SKU and puts the one of its new SKU, in stream order, so the last
 * write to an entry is the one that stands; BatchWriteItem then applies them
 * (puts and deletes are idempotent, so a retried batch does no harm).
 */
export async function updateSkuIndex(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  try {
    const changes = records.map(changeOf).filter((change): change is SkuChange => change !== undefined);
    const variantProducts = [...new Set(changes.filter((change) => change.isVariant).map((change) => change.entry.ecommerce_product_id))];
    const storefronts = variantProducts.length > 0 ? await storefrontsOfProducts(variantProducts) : new Map<number, number>();
    const writes = new Map<string, { put?: Record<string, unknown>; delete?: TableKey }>();
    for (const change of changes) {
      const storefrontId = change.isVariant ? storefronts.get(change.entry.ecommerce_product_id) : change.storefrontId;
      // A variant removed with its product: its entry, if any, is ignored by readers from now on.
      if (storefrontId === undefined) continue;
      if (change.was !== undefined) {
        const key = skuEntryKey(storefrontId, change.was, change.entry);
        writes.set(keyString(key), { delete: key });
      }
      if (change.now !== undefined) {
        writes.set(keyString(skuEntryKey(storefrontId, change.now, change.entry)), { put: skuEntryItem(storefrontId, change.now, change.entry) });
      }
    }
    await batchWriteItems([...writes.values()]);
    return failuresFrom(records, undefined);
  } catch (error) {
    logger.error("cannot update the SKU index; the batch will be retried", { error: error as Error });
    return failuresFrom(records, 0);
  }
}
