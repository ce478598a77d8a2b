/**
 * The catalog's SKU index, kept by the sku-index stream processor, so that
 * order lines carrying only a SKU can be linked to a product or variant.
 * Access patterns:
 * - the products and variants of a storefront with a SKU ... Query pk = STOREFRONT#<sid>#SKU#<sku>
 *     (sk = VARIANT#<variant id, 10 digits> or PRODUCT#<product id, 10 digits>)
 * An entry may outlive its SKU (a redelivered old record, a variant removed
 * with its product): readers check the candidates against the catalog.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import type { TableKey } from "./batch";

export interface SkuEntry {
  ecommerce_product_id: number;
  variant_id: number | null;
}

const padded = (id: number) => String(id).padStart(10, "0");
const partitionOf = (storefrontId: number, sku: string) => `STOREFRONT#${storefrontId}#SKU#${sku}`;

export const skuEntryKey = (storefrontId: number, sku: string, entry: SkuEntry): TableKey => ({
  pk: partitionOf(storefrontId, sku),
  sk: entry.variant_id === null ? `PRODUCT#${padded(entry.ecommerce_product_id)}` : `VARIANT#${padded(entry.variant_id)}`,
});

export const skuEntryItem = (storefrontId: number, sku: string, entry: SkuEntry): Record<string, unknown> => ({
  ...skuEntryKey(storefrontId, sku, entry),
  entity: "sku_entry",
  storefront_id: storefrontId,
  sku,
  ...entry,
});

/** A storefront's entries for a SKU: variants first, then products, each in id order. */
export async function querySkuEntries(storefrontId: number, sku: string): Promise<SkuEntry[]> {
  const { Items } = await documentClient.send(
    new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": partitionOf(storefrontId, sku) }, Limit: 100 }),
  );
  // PRODUCT#... sorts before VARIANT#...; both in id order within their kind.
  const entries = (Items ?? []).map((item): SkuEntry => ({
    ecommerce_product_id: Number(item.ecommerce_product_id),
    variant_id: item.variant_id === null || item.variant_id === undefined ? null : Number(item.variant_id),
  }));
  return [...entries.filter((entry) => entry.variant_id !== null), ...entries.filter((entry) => entry.variant_id === null)];
}
