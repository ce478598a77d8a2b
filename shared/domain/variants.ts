import { ConflictError, NotFoundError } from "../http/errors";
import { nextId } from "../data/sequence";
import { getProduct, getProductWithDetails, toProductRecord } from "../data/products";
import { deleteVariant as deleteVariantRecord, getProductAndVariant, insertVariant, replaceVariant, type VariantWriteOutcome } from "../data/variants";
import type { CreateVariantInput, UpdateVariantInput } from "../schemas/variant";
import { requireStorefrontAccess } from "./catalog-access";
import type { ProductRecord } from "./product-records";
import { mergeVariant, newVariantRecord, toVariantChanges, variantView, type VariantRecord } from "./variant-records";
import type { Principal } from "./roles";
import { originOfNewStock, recordStockOrigin } from "./stock-origin";

/** Variant writes retry this many times when the product or the variant changed in between. */
const MAX_WRITE_ATTEMPTS = 5;

const concurrentUpdate = (productId: number) =>
  new ConflictError("concurrent_update", `Product ${productId} kept changing while this request tried to write its variants; retry`);

function duplicateExternalId(variant: VariantRecord): ConflictError {
  return new ConflictError("duplicate_external_variant_id", `Product ${variant.ecommerce_product_id} already has a variant with external_variant_id ${variant.external_variant_id}`, [
    { field: "body.external_variant_id", message: "is already used by another variant of this product" },
  ]);
}

async function accessibleProduct(productId: number, principal: Principal): Promise<ProductRecord> {
  const product = await getProduct(productId);
  if (!product) throw new NotFoundError("Product", productId);
  requireStorefrontAccess(principal, product.storefront_id);
  return product;
}

/** The variant's view plus what the write made of the product's totals, as read before it plus its change. */
function written(variant: VariantRecord, product: ProductRecord, change: { inventory: number; variants: number }) {
  const firstVariant = product.variant_count === 0 && change.variants === 1;
  return {
    variant: variantView(variant),
    product_inventory_quantity: firstVariant ? variant.inventory_quantity : product.inventory_quantity + change.inventory,
    variant_count: product.variant_count + change.variants,
  };
}

function wasWritten(outcome: VariantWriteOutcome, variant: VariantRecord): boolean {
  if (outcome === "duplicate_external_id") throw duplicateExternalId(variant);
  return outcome === "written";
}

export async function listVariants(productId: number, principal: Principal) {
  const details = await getProductWithDetails(productId);
  if (!details) throw new NotFoundError("Product", productId);
  requireStorefrontAccess(principal, details.product.storefront_id);
  return details.variants.map(variantView);
}

export async function createVariant(productId: number, input: CreateVariantInput, principal: Principal) {
  let variantId: number | undefined;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const product = await accessibleProduct(productId, principal);
    const changes = toVariantChanges(input, product.currency);
    variantId ??= await nextId("variant");
    const now = new Date().toISOString();
    const variant: VariantRecord = {
      ...newVariantRecord({ variant_id: variantId, ecommerce_product_id: productId, currency: product.currency, price_minor: product.price_minor }, changes, now),
      ...originOfNewStock(principal),
    };
    if (wasWritten(await insertVariant(variant, product.variant_count, now), variant)) {
      return written(variant, product, { inventory: variant.inventory_quantity, variants: 1 });
    }
  }
  throw concurrentUpdate(productId);
}

async function productAndVariant(productId: number, variantId: number, principal: Principal) {
  const { productItem, variant } = await getProductAndVariant(productId, variantId);
  if (!productItem) throw new NotFoundError("Product", productId);
  const product = toProductRecord(productItem);
  requireStorefrontAccess(principal, product.storefront_id);
  if (!variant) throw new NotFoundError("Variant", variantId);
  return { product, variant };
}

export async function updateVariant(productId: number, variantId: number, input: UpdateVariantInput, principal: Principal) {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const { product, variant: current } = await productAndVariant(productId, variantId, principal);
    const now = new Date().toISOString();
    const changes = toVariantChanges(input, current.currency);
    const merged = mergeVariant(current, changes, now);
    recordStockOrigin(current, merged, changes.inventory_quantity, principal, now);
    const { next, changedFields } = merged;
    const change = { inventory: next.inventory_quantity - current.inventory_quantity, variants: 0 };
    if (changedFields.length === 0 || wasWritten(await replaceVariant(current, next, now), next)) return written(next, product, change);
  }
  throw concurrentUpdate(productId);
}

export async function deleteVariant(productId: number, variantId: number, principal: Principal): Promise<void> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const { variant } = await productAndVariant(productId, variantId, principal);
    if (wasWritten(await deleteVariantRecord(variant, new Date().toISOString()), variant)) return;
  }
  throw concurrentUpdate(productId);
}
