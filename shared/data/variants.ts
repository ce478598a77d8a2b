import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "./client";
import { batchGetItems, keyString, type TableKey } from "./batch";
import { cancellationCodes } from "./transactions";
import type { VariantRecord } from "../domain/variant-records";

/**
 * Variants live in their product's partition (see products.ts), so that the
 * product's details are one Query and a variant write can adjust the product
 * in the same transaction.
 * Access patterns:
 * - a product's variants, in id order ................... Query pk = PRODUCT#<product id> (sk = VARIANT#<id, 10 digits>)
 * - an external variant id, unique within its product ... pk = PRODUCT#<product id>, sk = EXTVARIANT#<external id>
 * Every variant write also adds its change to the product's inventory_quantity
 * and variant_count, so that they always equal the sum and the number of the variants.
 */
const VARIANT_PREFIX = "VARIANT#";
export const variantKey = (productId: number, variantId: number): TableKey => ({
  pk: `PRODUCT#${productId}`,
  sk: `${VARIANT_PREFIX}${String(variantId).padStart(10, "0")}`,
});
const claimKey = (productId: number, externalId: string): TableKey => ({ pk: `PRODUCT#${productId}`, sk: `EXTVARIANT#${externalId}` });
const productKey = (productId: number): TableKey => ({ pk: `PRODUCT#${productId}`, sk: "PRODUCT" });

export const isVariantKey = (sk: string): boolean => sk.startsWith(VARIANT_PREFIX);

export function toVariantRecord(item: Record<string, unknown>): VariantRecord {
  const { pk: _pk, sk: _sk, entity: _entity, ...record } = item;
  return record as unknown as VariantRecord;
}

const variantItem = (variant: VariantRecord) => ({ ...variantKey(variant.ecommerce_product_id, variant.variant_id), entity: "variant", ...variant });

type Actions = NonNullable<TransactWriteCommandInput["TransactItems"]>;

/** The product side of a variant write: its inventory and variant count move by the variant's change. */
function adjustProduct(productId: number, change: { inventory: number; variants: number }, now: string, condition: "none" | "first" | "more"): Actions[number] {
  const conditions = {
    none: "attribute_exists(pk)",
    // The first variant replaces whatever inventory the product had on its own; later ones add to the sum.
    first: "variant_count = :zero",
    more: "variant_count > :zero",
  };
  const values: Record<string, unknown> = { ":one": 1, ":now": now, ":inventory": change.inventory, ":variants": change.variants };
  if (condition !== "none") values[":zero"] = 0;
  return {
    Update: {
      TableName: tableName(),
      Key: productKey(productId),
      UpdateExpression:
        condition === "first"
          ? "SET inventory_quantity = :inventory, variant_count = :variants, updated_at = :now ADD #version :one"
          : "SET updated_at = :now ADD inventory_quantity :inventory, variant_count :variants, #version :one",
      ConditionExpression: conditions[condition],
      ExpressionAttributeNames: { "#version": "version" },
      ExpressionAttributeValues: values,
    },
  };
}

function claim(variant: VariantRecord): Actions {
  if (!variant.external_variant_id) return [];
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...claimKey(variant.ecommerce_product_id, variant.external_variant_id), entity: "variant_claim", variant_id: variant.variant_id },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
}

function release(productId: number, externalId: string | null): Actions {
  return externalId ? [{ Delete: { TableName: tableName(), Key: claimKey(productId, externalId) } }] : [];
}

/** Why a variant write did not happen: the variant or the product changed since read, or the external id is taken. */
export type VariantWriteOutcome = "written" | "stale" | "duplicate_external_id";

async function write(actions: Actions, claimIndex: number | undefined): Promise<VariantWriteOutcome> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: actions }));
    return "written";
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes?.includes("ConditionalCheckFailed")) throw error;
    return claimIndex !== undefined && codes[claimIndex] === "ConditionalCheckFailed" ? "duplicate_external_id" : "stale";
  }
}

/** Creates a variant; `productVariantCount` is the product's variant_count as read, which the write is conditioned on. */
export function insertVariant(variant: VariantRecord, productVariantCount: number, now: string): Promise<VariantWriteOutcome> {
  const claims = claim(variant);
  return write(
    [
      { Put: { TableName: tableName(), Item: variantItem(variant), ConditionExpression: "attribute_not_exists(pk)" } },
      ...claims,
      adjustProduct(variant.ecommerce_product_id, { inventory: variant.inventory_quantity, variants: 1 }, now, productVariantCount === 0 ? "first" : "more"),
    ],
    claims.length > 0 ? 1 : undefined,
  );
}

/** Replaces a variant that is still at `previous.version`, moving the difference in inventory to the product. */
export function replaceVariant(previous: VariantRecord, next: VariantRecord, now: string): Promise<VariantWriteOutcome> {
  const claimMoves = previous.external_variant_id !== next.external_variant_id;
  const claims = claimMoves ? claim(next) : [];
  const delta = next.inventory_quantity - previous.inventory_quantity;
  return write(
    [
      {
        Put: {
          TableName: tableName(),
          Item: variantItem(next),
          ConditionExpression: "#version = :expected",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":expected": previous.version },
        },
      },
      ...claims,
      ...(claimMoves ? release(previous.ecommerce_product_id, previous.external_variant_id) : []),
      ...(delta !== 0 ? [adjustProduct(next.ecommerce_product_id, { inventory: delta, variants: 0 }, now, "none")] : []),
    ],
    claims.length > 0 ? 1 : undefined,
  );
}

/** Deletes a variant that is still at the version read; its quantity leaves the product's inventory. */
export function deleteVariant(variant: VariantRecord, now: string): Promise<VariantWriteOutcome> {
  return write(
    [
      {
        Delete: {
          TableName: tableName(),
          Key: variantKey(variant.ecommerce_product_id, variant.variant_id),
          ConditionExpression: "#version = :expected",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":expected": variant.version },
        },
      },
      ...release(variant.ecommerce_product_id, variant.external_variant_id),
      adjustProduct(variant.ecommerce_product_id, { inventory: -variant.inventory_quantity, variants: -1 }, now, "none"),
    ],
    undefined,
  );
}

/** A product and one of its variants, read together (strongly consistent, for a write). */
export async function getProductAndVariant(productId: number, variantId: number) {
  const product = productKey(productId);
  const variant = variantKey(productId, variantId);
  const items = await batchGetItems([product, variant], { consistentRead: true });
  const productItem = items.get(keyString(product));
  const variantItem = items.get(keyString(variant));
  return { productItem, variant: variantItem ? toVariantRecord(variantItem) : undefined };
}
