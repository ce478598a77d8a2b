/**
 * WooCommerce through the REST API v3 (/wp-json/wc/v3), authenticated with
 * the consumer key and secret as HTTP Basic credentials (Woo accepts them so
 * over HTTPS). Lists page with page/per_page until X-WP-TotalPages; stock is
 * set through the batch endpoints, up to 100 objects a request.
 */
import { mapWooCommerce } from "../webhooks/woocommerce";
import { idOf, recordOf, records, type Json } from "../webhooks/map-common";
import type {
  ConnectionCheck,
  ConnectorRuntime,
  CustomerImport,
  InventoryLevel,
  InventoryLevelResult,
  OrderImport,
  PlatformConnector,
  ProductImport,
} from "./connector";
import { CredentialsRejected, PlatformError, RateLimited } from "./errors";
import { withRetries } from "./http-retry";
import { sendPlatformRequest, type PlatformHttp, type PlatformResponse } from "./platform-http";
import { variationBody } from "./woocommerce-variations";

export interface WooCommerceOptions {
  /** per_page of every listing (Woo allows up to 100). */
  pageSize: number;
  /** Objects per batch request (Woo accepts 100 by default). */
  batchSize: number;
  /** SKUs looked up per /products?sku= request. */
  skuLookupBatchSize: number;
}

export const DEFAULT_WOOCOMMERCE_OPTIONS: WooCommerceOptions = { pageSize: 100, batchSize: 100, skuLookupBatchSize: 50 };

export interface WooCommerceCounters {
  calls: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Every wait: Retry-After and backoff. */
  waitMs: number;
}

export interface WooCommerceConfig {
  /** The site's address, or the REST base (…/wp-json/wc/v3). */
  siteUrl: string;
  consumerKey: () => Promise<string>;
  consumerSecret: () => Promise<string>;
}

export interface WooCommerceConnector extends PlatformConnector {
  readonly platform: "woocommerce";
  readonly counters: WooCommerceCounters;
}

export function restBase(siteUrl: string): string {
  const trimmed = siteUrl.replace(/\/+$/, "");
  return trimmed.includes("/wp-json/") ? trimmed : `${trimmed}/wp-json/wc/v3`;
}

/** Woo's error body: {"code": "woocommerce_rest_…", "message": "…", "data": {"status": 401}}. */
function platformMessage(body: unknown, status: number): string {
  const message = recordOf(body)?.message;
  if (typeof message === "string") return message;
  return typeof body === "string" && body.trim() !== "" ? body.slice(0, 200) : `HTTP ${status}`;
}

type Query = Record<string, string | number | boolean | null | undefined>;

interface StockTarget {
  productId: string;
  variationId?: string;
}

export function wooCommerceConnector(config: WooCommerceConfig, runtime: ConnectorRuntime, overrides: Partial<WooCommerceOptions> = {}): WooCommerceConnector {
  const options = { ...DEFAULT_WOOCOMMERCE_OPTIONS, ...overrides };
  const base = restBase(config.siteUrl);
  const counters: WooCommerceCounters = { calls: 0, rateLimited: 0, waitMs: 0 };
  const http: PlatformHttp = { platform: "woocommerce", fetch: runtime.fetch, clock: runtime.clock, timeoutMs: runtime.timeoutMs, messageOf: platformMessage };

  async function authorization(): Promise<string> {
    const [key, secret] = await Promise.all([config.consumerKey(), config.consumerSecret()]);
    return `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;
  }

  async function request(method: "GET" | "POST" | "PUT", path: string, query: Query = {}, body?: unknown): Promise<PlatformResponse> {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    const headers = { authorization: await authorization() };
    return withRetries(
      async () => {
        counters.calls++;
        try {
          return await sendPlatformRequest(http, { url: url.toString(), method, headers, body });
        } catch (error) {
          if (error instanceof RateLimited) counters.rateLimited++;
          throw error;
        }
      },
      { policy: runtime.retry, clock: runtime.clock, random: runtime.random, onWait: (ms) => (counters.waitMs += ms) },
    );
  }

  const listOf = (response: PlatformResponse, path: string): Json[] => {
    if (!Array.isArray(response.body)) throw new PlatformError("woocommerce", `GET ${path} did not answer a list`, response.status, false);
    return records(response.body);
  };

  async function* pages(path: string, query: Query): AsyncGenerator<Json[]> {
    for (let page = 1; ; page++) {
      const response = await request("GET", path, { ...query, page, per_page: options.pageSize });
      const items = listOf(response, path);
      const totalPages = Number(response.headers.get("x-wp-totalpages"));
      if (items.length > 0) yield items;
      const last = Number.isFinite(totalPages) && response.headers.has("x-wp-totalpages") ? page >= totalPages : items.length < options.pageSize;
      if (last || items.length === 0) return;
    }
  }

  async function allPages(path: string, query: Query): Promise<Json[]> {
    const all: Json[] = [];
    for await (const page of pages(path, query)) all.push(...page);
    return all;
  }

  const changedSince = (since: string | null): Query => (since === null ? {} : { modified_after: since, dates_are_gmt: true });

  function actionOf<A>(topic: string, payload: Json, type: string): A | undefined {
    return mapWooCommerce(topic, payload).find((action) => action.type === type) as A | undefined;
  }

  async function* listProductsSince(since: string | null): AsyncGenerator<ProductImport[]> {
    for await (const page of pages("/products", { ...changedSince(since), orderby: "id", order: "asc" })) {
      const products: ProductImport[] = [];
      for (const product of page) {
        const action = actionOf<ProductImport>("product.updated", product, "upsert_product");
        if (!action) continue;
        if (product.type === "variable") {
          const variations = await allPages(`/products/${idOf(product.id)}/variations`, { orderby: "id", order: "asc" });
          products.push({ ...action, variants: variations.map(variationBody), replaceVariants: true });
        } else products.push(action);
      }
      yield products;
    }
  }

  async function* listOrdersSince(since: string | null): AsyncGenerator<OrderImport[]> {
    for await (const page of pages("/orders", { ...changedSince(since), orderby: "id", order: "asc" })) {
      // Draft checkouts (carts) and trashed orders are not imports.
      yield page.flatMap((order) => actionOf<OrderImport>("order.updated", order, "import_order") ?? []);
    }
  }

  async function* listCustomers(): AsyncGenerator<CustomerImport[]> {
    for await (const page of pages("/customers", { role: "all", orderby: "id", order: "asc" })) {
      yield page.flatMap((customer) => actionOf<CustomerImport>("customer.updated", customer, "upsert_customer") ?? []);
    }
  }

  async function testConnection(): Promise<ConnectionCheck> {
    await request("GET", "/products", { per_page: 1 });
    return { platform: "woocommerce", shop_name: null, currency: null };
  }

  /** /products?sku=a,b answers variations too (type "variation", parent_id), which is what lets a variation be found by SKU. */
  async function targetsBySku(skus: string[]): Promise<Map<string, StockTarget[]>> {
    const found = new Map<string, StockTarget[]>();
    for (let start = 0; start < skus.length; start += options.skuLookupBatchSize) {
      const batch = skus.slice(start, start + options.skuLookupBatchSize);
      for (const item of await allPages("/products", { sku: batch.join(","), status: "any" })) {
        const sku = typeof item.sku === "string" ? item.sku : undefined;
        const id = idOf(item.id);
        if (!sku || !id || !batch.includes(sku)) continue;
        const target: StockTarget = item.type === "variation" ? { productId: idOf(item.parent_id) ?? "", variationId: id } : { productId: id };
        found.set(sku, [...(found.get(sku) ?? []), target]);
      }
    }
    return found;
  }

  async function resolveTargets(levels: InventoryLevel[], errors: Map<number, string>): Promise<Map<number, StockTarget>> {
    const targets = new Map<number, StockTarget>();
    const bySku = new Map<string, number[]>();
    levels.forEach((level, index) => {
      if (!Number.isInteger(level.quantity)) errors.set(index, "quantity must be a whole number");
      else if (level.external_product_id) targets.set(index, { productId: level.external_product_id, variationId: level.external_variant_id });
      else if (level.sku) bySku.set(level.sku, [...(bySku.get(level.sku) ?? []), index]);
      else if (level.external_variant_id) errors.set(index, "a WooCommerce variation needs its external_product_id (or a sku)");
      else errors.set(index, "names no product, variation or SKU");
    });
    if (bySku.size > 0) {
      const found = await targetsBySku([...bySku.keys()]);
      for (const [sku, indexes] of bySku) {
        const matches = found.get(sku) ?? [];
        for (const index of indexes) {
          if (matches.length === 1) targets.set(index, matches[0]!);
          else errors.set(index, matches.length === 0 ? `unknown SKU ${sku}` : `SKU ${sku} names ${matches.length} products`);
        }
      }
    }
    return targets;
  }

  /** One batch request; each answered object is the updated product or {id, error: {code, message}}. */
  async function sendBatch(path: string, entries: { index: number; id: string; quantity: number }[], errors: Map<number, string>): Promise<void> {
    let answer: PlatformResponse;
    try {
      answer = await request("POST", path, {}, { update: entries.map((entry) => ({ id: Number(entry.id), manage_stock: true, stock_quantity: entry.quantity })) });
    } catch (error) {
      if (error instanceof CredentialsRejected || error instanceof RateLimited || (error instanceof PlatformError && error.retryable)) throw error;
      for (const entry of entries) errors.set(entry.index, error instanceof Error ? error.message : String(error));
      return;
    }
    const updated = records(recordOf(answer.body)?.update);
    entries.forEach((entry, position) => {
      const result = updated.find((item) => idOf(item.id) === entry.id) ?? updated[position];
      const error = recordOf(result?.error);
      if (!result) errors.set(entry.index, "WooCommerce did not answer for this item");
      else if (error) errors.set(entry.index, typeof error.message === "string" ? error.message : String(error.code ?? "refused"));
    });
  }

  async function setInventoryLevels(levels: InventoryLevel[]): Promise<InventoryLevelResult[]> {
    const errors = new Map<number, string>();
    const targets = await resolveTargets(levels, errors);
    const groups = new Map<string, { index: number; id: string; quantity: number }[]>();
    for (const [index, target] of [...targets].sort(([a], [b]) => a - b)) {
      const path = target.variationId ? `/products/${target.productId}/variations/batch` : "/products/batch";
      const id = target.variationId ?? target.productId;
      if (!/^\d+$/.test(id) || !/^\d+$/.test(target.productId)) {
        errors.set(index, `not a WooCommerce id: ${id}`);
        continue;
      }
      groups.set(path, [...(groups.get(path) ?? []), { index, id, quantity: levels[index]!.quantity }]);
    }
    for (const [path, entries] of groups) {
      for (let start = 0; start < entries.length; start += options.batchSize) await sendBatch(path, entries.slice(start, start + options.batchSize), errors);
    }
    return levels.map((level, index) => {
      const error = errors.get(index);
      return error === undefined ? { level, ok: true } : { level, ok: false, error };
    });
  }

  return { platform: "woocommerce", counters, testConnection, listProductsSince, listOrdersSince, listCustomers, setInventoryLevels };
}
