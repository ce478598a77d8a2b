import { ConflictError, NotFoundError } from "../http/errors";
import { nextIdFromBlock } from "../data/id-blocks";
import { getStorefront, getStorefrontCurrency } from "../data/storefronts";
import {
  deleteProductRecords,
  getProduct,
  getProductIdByExternalId,
  getProductWithDetails,
  insertProduct,
  repairClaimedProduct,
  writeProductChanges,
} from "../data/products";
import type { UpdateProductInput, UpsertProductInput } from "../schemas/product";
import { requireCategoryOf, requireStorefrontAccess, unknownStorefront } from "./catalog-access";
import {
  assertInventoryEditable,
  isStaleUpdate,
  mergeProduct,
  newProductRecord,
  productView,
  toProductChanges,
  type ProductRecord,
  type ProductView,
} from "./product-records";
import { variantView } from "./variant-records";
import type { Principal } from "./roles";
import { originOfNewStock, recordStockOrigin } from "./stock-origin";

/** Optimistic writes retry this many times when another writer got in between. */
const MAX_WRITE_ATTEMPTS = 5;

const concurrentUpdate = (id: number) =>
  new ConflictError("concurrent_update", `Product ${id} kept changing while this request tried to write it; retry`);

export interface UpsertOutcome {
  action: "created" | "updated";
  /** False when the request matched the stored product (a replay) or was stale. */
  changed: boolean;
  /** True when the platform's updated_at is not newer than the data already applied. */
  stale: boolean;
  product: ProductView;
}

/**
 * The storefront's upsert: creates the product for (storefront_id,
 * external_product_id) or updates it. A replay writes nothing, and an update
 * older than the data already applied (by the platform's updated_at) is not applied.
 *
 * It tries the create first (one transaction: the external id's claim and the
 * product); a claim that exists cancels it and names the product to update.
 * A create costs one DynamoDB request (the storefront's currency comes from a
 * short per-instance cache), an update three (the cancelled create, the
 * product read, the conditional update), as many as a read-first upsert.
 */
export async function upsertProduct(input: UpsertProductInput, principal: Principal): Promise<UpsertOutcome> {
  const { storefront_id: storefrontId, external_product_id: externalId, updated_at: platformUpdatedAt, ...fields } = input;
  requireStorefrontAccess(principal, storefrontId);
  const currency = await getStorefrontCurrency(storefrontId);
  if (currency === undefined) throw unknownStorefront("body.storefront_id", storefrontId);
  if (fields.ecommerce_category_id) await requireCategoryOf(storefrontId, fields.ecommerce_category_id, "body.ecommerce_category_id");
  const request: UpsertRequest = { storefrontId, externalId, currency, fields, platformUpdatedAt, principal };

  let claimedId: number | undefined;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    if (claimedId === undefined) {
      const product = newProductFor(request, await nextIdFromBlock("product"));
      const insert = await insertProduct(product);
      if (insert.created) return created(product);
      // Claimed already (or being claimed right now): this request updates that product.
      claimedId = insert.claimedId ?? (await getProductIdByExternalId(storefrontId, externalId));
      if (claimedId === undefined) continue;
    }
    const outcome = await upsertClaimed(claimedId, request);
    if (outcome) return outcome;
    // The claim was released (its product deleted) or changed meanwhile: resolve the external id again.
    claimedId = await getProductIdByExternalId(storefrontId, externalId);
  }
  throw concurrentUpdate(claimedId ?? 0);
}

type UpsertFields = Omit<UpsertProductInput, "storefront_id" | "external_product_id" | "updated_at">;

interface UpsertRequest {
  storefrontId: number;
  externalId: string;
  /** The storefront's default currency: a new product's currency. */
  currency: string;
  fields: UpsertFields;
  platformUpdatedAt: string | undefined;
  principal: Principal;
}

function newProductFor(request: UpsertRequest, id: number): ProductRecord {
  const { storefrontId, externalId, currency, fields, platformUpdatedAt } = request;
  const changes = toProductChanges(fields, currency);
  const now = new Date().toISOString();
  const product = newProductRecord(
    { ecommerce_product_id: id, storefront_id: storefrontId, currency, external_product_id: externalId, product_name: fields.product_name, price_minor: changes.price_minor! },
    { last_synced_at: now, ...changes },
    now,
    platformUpdatedAt,
  );
  return { ...product, ...originOfNewStock(request.principal) };
}

const created = (product: ProductRecord): UpsertOutcome => ({ action: "created", changed: true, stale: false, product: productView(product) });

/**
 * Creates or updates the product the external id's claim names. Undefined
 * when the claim no longer names `id` (the product was deleted with its claim).
 */
async function upsertClaimed(id: number, request: UpsertRequest): Promise<UpsertOutcome | undefined> {
  const { fields, platformUpdatedAt } = request;
  let repairs = 0;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await getProduct(id);
    if (!current) {
      // A claim without its product (see repairClaimedProduct): write it under the claimed id.
      if (repairs++ === MAX_WRITE_ATTEMPTS) throw concurrentUpdate(id);
      const product = newProductFor(request, id);
      const repair = await repairClaimedProduct(product);
      if (repair === "created") return created(product);
      if (repair === "claim_changed") return undefined;
      // Someone else wrote it (or is writing it): the write attempts are for updating it.
      attempt--;
      continue;
    }
    const changes = toProductChanges(fields, current.currency);
    const now = new Date().toISOString();
    const unchanged = { action: "updated" as const, changed: false, product: productView(current) };
    if (isStaleUpdate(current.platform_updated_at, platformUpdatedAt)) {
      const replay = platformUpdatedAt === current.platform_updated_at && mergeProduct(current, changes, now).changedFields.length === 0;
      return { ...unchanged, stale: !replay };
    }
    assertInventoryEditable(current, changes);
    const merged = mergeProduct(current, changes, now, platformUpdatedAt);
    recordStockOrigin(current, merged, changes.inventory_quantity, request.principal, now);
    const { next, changedFields } = merged;
    if (changedFields.length === 0) return { ...unchanged, stale: false };
    if (fields.last_synced_at === undefined) {
      next.last_synced_at = now;
      changedFields.push("last_synced_at");
    }
    if (await writeProductChanges(next, changedFields, current.version)) return { action: "updated", changed: true, stale: false, product: productView(next) };
  }
  throw concurrentUpdate(id);
}

async function readAccessibleProduct(id: number, principal: Principal): Promise<ProductRecord> {
  const product = await getProduct(id);
  if (!product) throw new NotFoundError("Product", id);
  requireStorefrontAccess(principal, product.storefront_id);
  return product;
}

/** Changes the fields a request names; `null` clears an optional one. */
export async function updateProduct(id: number, input: UpdateProductInput, principal: Principal): Promise<ProductView> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await readAccessibleProduct(id, principal);
    if (attempt === 0 && input.ecommerce_category_id) await requireCategoryOf(current.storefront_id, input.ecommerce_category_id, "body.ecommerce_category_id");
    const changes = toProductChanges(input, current.currency);
    assertInventoryEditable(current, changes);
    const now = new Date().toISOString();
    const merged = mergeProduct(current, changes, now);
    recordStockOrigin(current, merged, changes.inventory_quantity, principal, now);
    const { next, changedFields } = merged;
    if (changedFields.length === 0) return productView(current);
    if (await writeProductChanges(next, changedFields, current.version)) return productView(next);
  }
  throw concurrentUpdate(id);
}

/** The product with its storefront's name, its variants and its sales totals (0 until orders exist). */
export async function readProductDetails(id: number, principal: Principal) {
  const details = await getProductWithDetails(id);
  if (!details) throw new NotFoundError("Product", id);
  requireStorefrontAccess(principal, details.product.storefront_id);
  const storefront = await getStorefront(details.product.storefront_id);
  return {
    ...productView(details.product),
    storefront_name: storefront?.storefront_name ?? null,
    variants: details.variants.map(variantView),
    total_orders: details.stats.order_count,
    total_quantity_sold: details.stats.total_quantity_sold,
  };
}

/** Deletes a product without orders, with its variants. */
export async function deleteProduct(id: number, principal: Principal): Promise<void> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const details = await getProductWithDetails(id, { consistentRead: true });
    if (!details) throw new NotFoundError("Product", id);
    requireStorefrontAccess(principal, details.product.storefront_id);
    const outcome = details.stats.order_count > 0 ? "has_orders" : await deleteProductRecords(details);
    if (outcome === "deleted") return;
    if (outcome === "has_orders") {
      throw new ConflictError(
        "product_has_orders",
        `Product ${id} has ${Math.max(details.stats.order_count, 1)} order(s) and cannot be deleted; set is_published to false instead`,
      );
    }
  }
  throw concurrentUpdate(id);
}
