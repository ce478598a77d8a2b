/**
 * The SKU index's stream processor: every product or variant whose SKU is
 * set, changed or removed moves its entry in the index (shared/data/sku-index.ts).
 * Puts and deletes of a given entry are idempotent, so redelivered records are
 * harmless; an entry left behind by an old record replayed out of order is
 * ignored by readers, which check candidates against the catalog.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "../data/client";
import { productKey } from "../data/products";
import { deleteSkuEntry, putSkuEntry, type SkuEntry } from "../data/sku-index";
import { logger } from "../logger";
import { failuresFrom } from "./batch";
import { imagesOf } from "./images";

type Image = Record<string, unknown>;

/** A product's SKU on its storefront is external_sku; a variant's is sku. */
function skuOf(image: Image | undefined, isVariant: boolean): string | undefined {
  const sku = image?.[isVariant ? "sku" : "external_sku"];
  return typeof sku === "string" && sku !== "" ? sku : undefined;
}

/** The storefront a variant belongs to, through its product; undefined once the product is gone. */
async function storefrontOfProduct(productId: number): Promise<number | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: productKey(productId), ProjectionExpression: "storefront_id" }));
  return Item ? Number(Item.storefront_id) : undefined;
}

async function followSkuChange(record: DynamoDBRecord): Promise<void> {
  const { before, after } = imagesOf(record);
  const image = (after ?? before)!;
  const isVariant = String(image.sk).startsWith("VARIANT#");
  const [was, now] = [skuOf(before, isVariant), skuOf(after, isVariant)];
  if (was === now) return;
  const entry: SkuEntry = { ecommerce_product_id: Number(image.ecommerce_product_id), variant_id: isVariant ? Number(image.variant_id) : null };
  const storefrontId = isVariant ? await storefrontOfProduct(entry.ecommerce_product_id) : Number(image.storefront_id);
  // A variant removed with its product: its entry, if any, is ignored by readers from now on.
  if (storefrontId === undefined) return;
  if (was !== undefined) await deleteSkuEntry(storefrontId, was, entry);
  if (now !== undefined) await putSkuEntry(storefrontId, now, entry);
}

export async function updateSkuIndex(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  for (const [index, record] of records.entries()) {
    try {
      await followSkuChange(record);
    } catch (error) {
      logger.error("cannot update the SKU index; this record and the ones after it will be retried", { eventId: record.eventID, error: error as Error });
      return failuresFrom(records, index);
    }
  }
  return failuresFrom(records, undefined);
}
