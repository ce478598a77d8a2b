/**
 * One interface over the platforms the hub pulls from and pushes stock to.
 * Listings are async iterators of pages, each item in the hub's own terms:
 * the same actions the webhook mappers produce (REST bodies without
 * storefront_id), so a sync job applies a page with the webhook applier.
 */
import type { StorefrontItem } from "../data/storefronts";
import type { CredentialField } from "../schemas/storefront";
import { credentialsCipher, type CredentialsCipher } from "../security/credentials-cipher";
import type { WebhookAction } from "../webhooks/actions";
import { ConnectorNotConfigured, NoConnectorForPlatform, type PlatformName } from "./errors";
import { DEFAULT_RETRY_POLICY, systemClock, type Clock, type RetryPolicy } from "./http-retry";
import type { FetchLike } from "./platform-http";
import { shopifyConnector, type ShopifyConnector, type ShopifyOptions } from "./shopify";
import { wooCommerceConnector, type WooCommerceConnector, type WooCommerceOptions } from "./woocommerce";

export * from "./errors";

/** POST /api/ecommerce/products and the product's variants (external_variant_id), as the webhook applier takes them. */
export type ProductImport = Extract<WebhookAction, { type: "upsert_product" }>;
/** POST /api/ecommerce/orders. */
export type OrderImport = Extract<WebhookAction, { type: "import_order" }>;
/** A platform customer: found by external id, else email, else created. */
export type CustomerImport = Extract<WebhookAction, { type: "upsert_customer" }>;

/**
 * A stock level to set on the platform. Name the item by the platform's ids
 * when the hub has them (Shopify: inventory_item_id or external_variant_id;
 * WooCommerce: external_product_id, plus external_variant_id for a
 * variation), else by sku.
 */
export interface InventoryLevel {
  sku?: string;
  external_product_id?: string;
  external_variant_id?: string;
  inventory_item_id?: string;
  /** Shopify location; the shop's primary location when absent. */
  location_id?: string;
  quantity: number;
}

export type InventoryLevelResult = { level: InventoryLevel; ok: true } | { level: InventoryLevel; ok: false; error: string };

export interface ConnectionCheck {
  platform: PlatformName;
  shop_name: string | null;
  currency: string | null;
}

export interface PlatformConnector {
  readonly platform: PlatformName;
  /** A cheap authenticated read; throws CredentialsRejected when the platform refuses the credentials. */
  testConnection(): Promise<ConnectionCheck>;
  /** Products changed since `since` (an ISO timestamp), or every product when null, page by page. */
  listProductsSince(since: string | null): AsyncIterable<ProductImport[]>;
  /** Orders changed since `since`, or every order when null, page by page. */
  listOrdersSince(since: string | null): AsyncIterable<OrderImport[]>;
  listCustomers(): AsyncIterable<CustomerImport[]>;
  /** One result per level, in the order given: a level the platform refuses does not fail the others. */
  setInventoryLevels(levels: InventoryLevel[]): Promise<InventoryLevelResult[]>;
}

/** What the platform connectors share: transport, time, retries. */
export interface ConnectorRuntime {
  fetch: FetchLike;
  clock: Clock;
  random: () => number;
  retry: RetryPolicy;
  timeoutMs: number;
}

export interface ConnectorDeps {
  /** Defaults to the environment's cipher, looked up on the first call that needs a credential. */
  cipher?: CredentialsCipher;
  fetch?: FetchLike;
  clock?: Clock;
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  shopify?: Partial<ShopifyOptions>;
  woocommerce?: Partial<WooCommerceOptions>;
}

export const CONNECTOR_PLATFORMS: readonly PlatformName[] = ["shopify", "woocommerce"];

export const hasConnector = (platformType: string): platformType is PlatformName => (CONNECTOR_PLATFORMS as readonly string[]).includes(platformType);

export function connectorRuntime(deps: ConnectorDeps = {}): ConnectorRuntime {
  return {
    fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
    clock: deps.clock ?? systemClock,
    random: deps.random ?? Math.random,
    retry: { ...DEFAULT_RETRY_POLICY, ...deps.retry },
    timeoutMs: deps.timeoutMs ?? 30_000,
  };
}

/**
 * A credential decrypted on the first call that needs it, then kept for the
 * connector's life (one sync job): decrypting for every page would be a KMS
 * call per request.
 */
function lazyCredential(storefront: StorefrontItem, field: CredentialField, platform: PlatformName, deps: ConnectorDeps): () => Promise<string> {
  let plaintext: Promise<string> | undefined;
  return () => {
    const sealed = storefront.credentials[field];
    if (!sealed) return Promise.reject(new ConnectorNotConfigured(platform, field));
    plaintext ??= (deps.cipher ?? credentialsCipher())
      .decrypt(sealed.ciphertext, { storefront_id: String(storefront.storefront_id), field })
      .catch((error: unknown) => {
        plaintext = undefined;
        throw error;
      });
    return plaintext;
  };
}

function baseUrlOf(storefront: StorefrontItem, platform: PlatformName): string {
  const url = storefront.api_endpoint ?? storefront.platform_url;
  if (!url) throw new ConnectorNotConfigured(platform, "api_endpoint or platform_url");
  return url;
}

export function connectorFor(storefront: StorefrontItem & { platform_type: "shopify" }, deps?: ConnectorDeps): ShopifyConnector;
export function connectorFor(storefront: StorefrontItem & { platform_type: "woocommerce" }, deps?: ConnectorDeps): WooCommerceConnector;
export function connectorFor(storefront: StorefrontItem, deps?: ConnectorDeps): PlatformConnector;
/** The storefront's connector; throws NoConnectorForPlatform for platforms without one (custom and the others). */
export function connectorFor(storefront: StorefrontItem, deps: ConnectorDeps = {}): PlatformConnector {
  const runtime = connectorRuntime(deps);
  switch (storefront.platform_type) {
    case "shopify":
      return shopifyConnector(
        { shopUrl: baseUrlOf(storefront, "shopify"), accessToken: lazyCredential(storefront, "api_token", "shopify", deps) },
        runtime,
        deps.shopify,
      );
    case "woocommerce":
      return wooCommerceConnector(
        {
          siteUrl: baseUrlOf(storefront, "woocommerce"),
          consumerKey: lazyCredential(storefront, "api_key", "woocommerce", deps),
          consumerSecret: lazyCredential(storefront, "api_secret", "woocommerce", deps),
        },
        runtime,
        deps.woocommerce,
      );
    default:
      throw new NoConnectorForPlatform(storefront.platform_type);
  }
}
