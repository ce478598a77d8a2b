/**
 * POST /inventory/sync: one stock, every channel.
 * - erp_to_store: the hub's quantities (set first from the request when it
 *   gives them, through the product domain) are pushed to the platform.
 * - store_to_erp: the platform's quantities are taken into the hub, through
 *   the webhook applier's stock levels (the same domain code as the API).
 * An item the hub or the platform refuses is reported and does not stop the others.
 */
import { connectorFor, ConnectorError, CredentialsRejected, hasConnector, type InventoryLevel, type PlatformConnector, type ProductImport } from "../connectors/connector";
import { queryStorefrontProducts, getProduct, getProductIdByExternalId } from "../data/products";
import { getStorefront, markConnectionRejected } from "../data/storefronts";
import { requireStorefrontAccess, unknownStorefront } from "../domain/catalog-access";
import { updateProduct } from "../domain/products";
import type { ProductRecord } from "../domain/product-records";
import type { Principal } from "../domain/roles";
import { listVariants } from "../domain/variants";
import { BadRequestError, HttpError } from "../http/errors";
import { parseWith } from "../schemas/parse";
import { updateProductBody } from "../schemas/product";
import type { InventorySyncInput } from "../schemas/sync";
import { applyActions } from "../webhooks/apply";
import type { WebhookAction } from "../webhooks/actions";

/** The platform could not be used: its message (never a credential) goes to the client. */
export class PlatformUnavailableError extends HttpError {
  constructor(message: string, code = "platform_error") {
    super(502, code, message);
  }
}

export interface ItemError {
  ecommerce_product_id: number | null;
  external_product_id: string | null;
  message: string;
}

interface Target {
  product: ProductRecord;
  /** erp_to_store: the quantity to set on the hub before pushing. */
  quantity?: number;
}

const PRODUCTS_PER_QUERY = 500;

async function everyProduct(storefrontId: number): Promise<ProductRecord[]> {
  const products: ProductRecord[] = [];
  let afterId: number | undefined;
  do {
    const page = await queryStorefrontProducts(storefrontId, { afterId, examine: PRODUCTS_PER_QUERY, filter: {} });
    products.push(...page.products);
    afterId = page.lastExaminedId;
  } while (afterId !== undefined);
  return products;
}

async function targetsOf(input: InventorySyncInput, errors: ItemError[]): Promise<Target[]> {
  if ("sync_all" in input) return (await everyProduct(input.storefront_id)).map((product) => ({ product }));
  const targets: Target[] = [];
  for (const update of input.product_updates) {
    const id = update.ecommerce_product_id ?? (await getProductIdByExternalId(input.storefront_id, update.external_product_id!));
    const product = id === undefined ? undefined : await getProduct(id);
    if (!product || product.storefront_id !== input.storefront_id) {
      errors.push({
        ecommerce_product_id: update.ecommerce_product_id ?? null,
        external_product_id: update.external_product_id ?? null,
        message: `not a product of storefront ${input.storefront_id}`,
      });
      continue;
    }
    targets.push({ product, quantity: update.inventory_quantity });
  }
  return targets;
}

const errorOf = (product: ProductRecord, message: string): ItemError => ({
  ecommerce_product_id: product.ecommerce_product_id,
  external_product_id: product.external_product_id,
  message,
});

const messageOf = (error: unknown) => (error instanceof HttpError || error instanceof ConnectorError ? error.message : "the product could not be written");

/** Synced now: the product's sync_status and last_synced_at say so. */
async function markSynced(product: ProductRecord, principal: Principal): Promise<void> {
  await updateProduct(product.ecommerce_product_id, parseWith(updateProductBody, { sync_status: "synced", last_synced_at: new Date().toISOString() }, "data"), principal);
}

/** The platform's stock levels of a product: one per variant, or the product's own. */
async function levelsOf(product: ProductRecord, principal: Principal): Promise<InventoryLevel[]> {
  if (product.variant_count === 0) {
    return [{ external_product_id: product.external_product_id, ...(product.external_sku ? { sku: product.external_sku } : {}), quantity: product.inventory_quantity }];
  }
  return (await listVariants(product.ecommerce_product_id, principal)).map((variant) => ({
    external_product_id: product.external_product_id,
    ...(variant.external_variant_id ? { external_variant_id: variant.external_variant_id } : {}),
    ...(variant.sku ? { sku: variant.sku } : {}),
    quantity: variant.inventory_quantity,
  }));
}

async function pushToStore(connector: PlatformConnector, targets: Target[], principal: Principal, errors: ItemError[]): Promise<number> {
  const levels: { target: Target; levels: InventoryLevel[] }[] = [];
  for (const target of targets) {
    try {
      if (target.quantity !== undefined && target.quantity !== target.product.inventory_quantity) {
        await updateProduct(target.product.ecommerce_product_id, parseWith(updateProductBody, { inventory_quantity: target.quantity }, "data"), principal);
        target.product = { ...target.product, inventory_quantity: target.quantity };
      }
      levels.push({ target, levels: await levelsOf(target.product, principal) });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      errors.push(errorOf(target.product, messageOf(error)));
    }
  }
  const results = await connector.setInventoryLevels(levels.flatMap((entry) => entry.levels));
  let updated = 0;
  let next = 0;
  for (const entry of levels) {
    const mine = results.slice(next, next + entry.levels.length);
    next += entry.levels.length;
    const refused = mine.flatMap((result) => (result.ok ? [] : [result.error]));
    if (refused.length > 0) {
      errors.push(errorOf(entry.target.product, `the platform refused the stock level: ${refused.join("; ")}`));
      continue;
    }
    await markSynced(entry.target.product, principal);
    updated += 1;
  }
  return updated;
}

/** The stock levels a platform product sets on the hub: each variant's, or the product's own. */
function stockActions(item: ProductImport): WebhookAction[] {
  const externalProductId = String(item.body.external_product_id);
  if (item.variants.length > 0) {
    return item.variants.flatMap((variant) =>
      typeof variant.inventory_quantity === "number" && variant.external_variant_id !== undefined
        ? [{ type: "set_inventory" as const, external_product_id: externalProductId, external_variant_id: String(variant.external_variant_id), inventory_quantity: variant.inventory_quantity }]
        : [],
    );
  }
  const quantity = item.body.inventory_quantity;
  return typeof quantity === "number" ? [{ type: "set_inventory", external_product_id: externalProductId, inventory_quantity: quantity }] : [];
}

async function takeFromStore(connector: PlatformConnector, storefrontId: number, targets: Target[], principal: Principal, errors: ItemError[]): Promise<number> {
  const onPlatform = new Map<string, ProductImport>();
  for await (const page of connector.listProductsSince(null)) for (const item of page) onPlatform.set(String(item.body.external_product_id), item);
  let updated = 0;
  for (const { product } of targets) {
    const item = onPlatform.get(product.external_product_id);
    const actions = item ? stockActions(item) : [];
    if (actions.length === 0) {
      errors.push(errorOf(product, item ? "the platform does not track this product's stock" : "not found on the platform"));
      continue;
    }
    try {
      await applyActions(storefrontId, actions, { platformStockIsTruth: true });
      await markSynced(product, principal);
      updated += 1;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      errors.push(errorOf(product, messageOf(error)));
    }
  }
  return updated;
}

export async function syncInventory(input: InventorySyncInput, principal: Principal) {
  requireStorefrontAccess(principal, input.storefront_id);
  const storefront = await getStorefront(input.storefront_id);
  if (!storefront) throw unknownStorefront("body.storefront_id", input.storefront_id);
  if (!hasConnector(storefront.platform_type)) {
    throw new BadRequestError("no_connector", `Storefront ${storefront.storefront_id} is on ${storefront.platform_type}, which the hub has no connector for`);
  }
  const errors: ItemError[] = [];
  const targets = await targetsOf(input, errors);
  const connector = connectorFor(storefront);
  let updated: number;
  try {
    updated =
      input.direction === "erp_to_store"
        ? await pushToStore(connector, targets, principal, errors)
        : await takeFromStore(connector, input.storefront_id, targets, principal, errors);
  } catch (error) {
    if (error instanceof CredentialsRejected) {
      await markConnectionRejected(storefront.storefront_id, error.platformMessage, new Date().toISOString());
      throw new PlatformUnavailableError(error.message, "platform_credentials_rejected");
    }
    if (error instanceof ConnectorError) throw new PlatformUnavailableError(error.message);
    throw error;
  }
  return { message: "Inventory sync completed", updated_count: updated, error_count: errors.length, errors };
}
