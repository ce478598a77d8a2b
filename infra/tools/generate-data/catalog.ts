/**
 * Storefronts and their catalogs, through the API: the extra storefront, the
 * generated products upserted into every storefront, and everything each one
 * sells read back with a weight (a few best sellers, a long tail).
 */
import type { HubClient } from "../hub-client";
import { expectStatus } from "./api";
import { minorIn, money } from "./money";
import { hashOf } from "./random";
import { CATALOG, EXTRA_STOREFRONT, STOREFRONT_MIX } from "./shape";
import { inPool, READ_CONCURRENCY } from "./writes";

export interface Storefront {
  id: number;
  code: string;
  currency: string;
  timeZone: string;
  abandonHours: number;
  orderCount: number;
  share: number;
  currencies: readonly (readonly [string, number])[];
}

export interface Sellable {
  ecommerce_product_id: number;
  variant_id: number | null;
  external_product_id: string;
  external_variant_id: string | null;
  product_name: string;
  variant_name: string | null;
  sku: string | null;
  price_minor: number;
  weight: number;
}

export async function prepareStorefronts(hub: HubClient): Promise<Storefront[]> {
  await expectStatus(hub.call("POST", "/api/ecommerce/storefronts", EXTRA_STOREFRONT), [201, 409], EXTRA_STOREFRONT.storefront_code);
  const storefronts: Storefront[] = [];
  for (const mix of STOREFRONT_MIX) {
    const { storefront } = await expectStatus(hub.call("GET", `/api/ecommerce/storefronts/${mix.code}`), [200], mix.code);
    storefronts.push({
      id: storefront.storefront_id,
      code: mix.code,
      currency: storefront.default_currency,
      timeZone: storefront.timezone,
      abandonHours: storefront.abandoned_cart_hours,
      orderCount: storefront.order_count,
      share: mix.share,
      currencies: mix.currencies,
    });
  }
  return storefronts;
}

/** Upserts the generated catalog into every storefront (by external ids, a few products at a time), then reads back everything each sells. */
export async function prepareCatalogs(hub: HubClient, storefronts: Storefront[]): Promise<Map<number, Sellable[]>> {
  const work = storefronts.flatMap((storefront) => CATALOG.map((product) => ({ storefront, product })));
  await inPool(work, READ_CONCURRENCY, ({ storefront, product }) => upsertCatalogProduct(hub, storefront, product));
  const catalogs = new Map<number, Sellable[]>();
  await Promise.all(storefronts.map(async (storefront) => catalogs.set(storefront.id, await readSellables(hub, storefront))));
  return catalogs;
}

async function upsertCatalogProduct(hub: HubClient, storefront: Storefront, product: (typeof CATALOG)[number]): Promise<void> {
  const price = money(minorIn(product.usd, storefront.currency), storefront.currency);
  const saved = await expectStatus(
    hub.call("POST", "/api/ecommerce/products", {
      storefront_id: storefront.id,
      external_product_id: `gen-${product.slug}`,
      external_sku: `GEN-${product.slug.toUpperCase()}`,
      product_name: product.name,
      price,
      inventory_quantity: 1000,
      is_published: true,
      sync_status: "synced",
      updated_at: "2024-11-01T00:00:00Z",
    }),
    [200, 201],
    product.name,
  );
  const [name, values] = product.option ?? ["", []];
  for (const value of values) {
    await expectStatus(
      hub.call("POST", `/api/ecommerce/products/${saved.product.ecommerce_product_id}/variants`, {
        external_variant_id: `gen-${product.slug}-${value.toLowerCase()}`,
        sku: `GEN-${product.slug.toUpperCase()}-${value.toUpperCase()}`,
        option1_name: name,
        option1_value: value,
        price,
        inventory_quantity: 250,
      }),
      [201, 409],
      `${product.name} ${value}`,
    );
  }
}

async function readSellables(hub: HubClient, storefront: Storefront): Promise<Sellable[]> {
  const products: any[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/api/ecommerce/products?storefront_id=${storefront.id}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await expectStatus(hub.call("GET", query), [200], "products");
    products.push(...page.products);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  const sellables: Sellable[] = [];
  for (const product of products) {
    const priceOf = (price: string | null | undefined) => Math.round(Number(price ?? product.price) * 100);
    const base = { ecommerce_product_id: product.ecommerce_product_id, external_product_id: product.external_product_id, product_name: product.product_name };
    if (!product.variant_count) {
      sellables.push({ ...base, variant_id: null, external_variant_id: null, variant_name: null, sku: product.external_sku ?? null, price_minor: priceOf(product.price), weight: 0 });
      continue;
    }
    const { variants } = await expectStatus(hub.call("GET", `/api/ecommerce/products/${product.ecommerce_product_id}/variants`), [200], "variants");
    for (const variant of variants as any[]) {
      sellables.push({ ...base, variant_id: variant.variant_id, external_variant_id: variant.external_variant_id ?? null, variant_name: variant.variant_name ?? null, sku: variant.sku ?? null, price_minor: priceOf(variant.price), weight: 0 });
    }
  }
  // In the order of their external ids, not of the ids the hub gave them: the same seed picks the same products on any hub.
  sellables.sort((a, b) => sellableKey(0, a.external_product_id, a.external_variant_id).localeCompare(sellableKey(0, b.external_product_id, b.external_variant_id)));
  // A few best sellers, a long tail.
  const ranks = sellables.map((sellable) => hashOf(sellable.external_product_id, sellable.external_variant_id ?? "")).sort((a, b) => a - b);
  for (const sellable of sellables) sellable.weight = 1 / (1 + ranks.indexOf(hashOf(sellable.external_product_id, sellable.external_variant_id ?? "")) / 3);
  return sellables;
}

/** How an import links a line: by external product id within the storefront, then external variant id. */
export const sellableKey = (storefrontId: number, externalProductId: string | null, externalVariantId: string | null) => `${storefrontId}#${externalProductId ?? ""}#${externalVariantId ?? ""}`;
