/**
 * Shopify through the GraphQL Admin API. Every query is sized to fit
 * Shopify's single-query cost limit and sent only once the bucket (the last
 * throttleStatus, refilled at restoreRate since) holds its requested cost;
 * a THROTTLED answer is waited out and retried.
 */
import { mapShopify } from "../webhooks/shopify";
import type { Json } from "../webhooks/map-common";
import { isRecord, recordOf, records } from "../webhooks/map-common";
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
import { sendPlatformRequest, type PlatformHttp } from "./platform-http";
import { pageSizeWithinCost, requestedQueryCost, MAX_SINGLE_QUERY_COST } from "./shopify-query-cost";
import { ThrottleBudget, throttleStatusOf } from "./shopify-throttle";
import {
  CUSTOMERS_QUERY,
  ORDER_LINE_ITEMS_QUERY,
  ORDERS_QUERY,
  PRIMARY_LOCATION_QUERY,
  PRODUCT_VARIANTS_QUERY,
  PRODUCTS_QUERY,
  SET_QUANTITIES_MUTATION,
  SHOP_QUERY,
  SHOPIFY_API_VERSION,
  VARIANTS_BY_ID_QUERY,
  VARIANTS_BY_SKU_QUERY,
} from "./shopify-queries";
import { inventoryItemGid, legacyIdOf, locationGid, nodesOf, restCustomer, restOrder, restProduct, variantGid } from "./shopify-payloads";

export interface ShopifyOptions {
  apiVersion: string;
  /** Products asked per page; lowered when the query would cost more than Shopify accepts in one query. */
  productPageSize: number;
  variantsPerProduct: number;
  orderPageSize: number;
  lineItemsPerOrder: number;
  customerPageSize: number;
  /** Quantities per inventorySetQuantities mutation (Shopify accepts 250). */
  inventoryBatchSize: number;
  /** SKUs looked up per productVariants search. */
  skuLookupBatchSize: number;
  /** THROTTLED answers waited out for one call before giving up with RateLimited. */
  maxThrottledRetries: number;
  maxQueryCost: number;
}

export const DEFAULT_SHOPIFY_OPTIONS: ShopifyOptions = {
  apiVersion: SHOPIFY_API_VERSION,
  productPageSize: 250,
  variantsPerProduct: 100,
  orderPageSize: 50,
  lineItemsPerOrder: 20,
  customerPageSize: 250,
  inventoryBatchSize: 250,
  skuLookupBatchSize: 50,
  maxThrottledRetries: 10,
  maxQueryCost: MAX_SINGLE_QUERY_COST,
};

export interface ShopifyCounters {
  /** HTTP requests sent, retries included. */
  calls: number;
  /** Waits for the bucket to refill, before a call or after a THROTTLED answer. */
  throttleWaits: number;
  throttledResponses: number;
  /** Every wait, throttle and retry backoff alike. */
  waitMs: number;
  /** Requested and actual cost summed over the answered calls. */
  requestedCost: number;
  actualCost: number;
}

export interface ShopifyConfig {
  /** The shop's address (https://{shop}.myshopify.com) or the full GraphQL endpoint. */
  shopUrl: string;
  accessToken: () => Promise<string>;
}

export interface ShopifyConnector extends PlatformConnector {
  readonly platform: "shopify";
  readonly counters: ShopifyCounters;
}

interface GraphqlAnswer {
  data: Json;
}

export function graphqlEndpoint(shopUrl: string, apiVersion: string): string {
  if (/\/graphql\.json$/.test(shopUrl)) return shopUrl;
  return `${shopUrl.replace(/\/+$/, "")}/admin/api/${apiVersion}/graphql.json`;
}

function platformMessage(body: unknown, status: number): string {
  const errors = recordOf(body)?.errors;
  if (typeof errors === "string") return errors;
  if (Array.isArray(errors)) return errors.map((error) => (isRecord(error) ? String(error.message) : String(error))).join("; ");
  if (isRecord(errors)) return JSON.stringify(errors);
  return typeof body === "string" && body.trim() !== "" ? body.slice(0, 200) : `HTTP ${status}`;
}

const THROTTLED = "THROTTLED";

/** A query costing more than the whole bucket: it can never run, only a smaller page can. */
class QueryAboveBucket extends Error {}

export function shopifyConnector(config: ShopifyConfig, runtime: ConnectorRuntime, overrides: Partial<ShopifyOptions> = {}): ShopifyConnector {
  const options = { ...DEFAULT_SHOPIFY_OPTIONS, ...overrides };
  const endpoint = graphqlEndpoint(config.shopUrl, options.apiVersion);
  const budget = new ThrottleBudget(runtime.clock);
  const counters: ShopifyCounters = { calls: 0, throttleWaits: 0, throttledResponses: 0, waitMs: 0, requestedCost: 0, actualCost: 0 };
  const http: PlatformHttp = { platform: "shopify", fetch: runtime.fetch, clock: runtime.clock, timeoutMs: runtime.timeoutMs, messageOf: platformMessage };

  const wait = async (ms: number) => {
    counters.waitMs += ms;
    await runtime.clock.sleep(ms);
  };

  async function send(query: string, variables: Json): Promise<Json> {
    const token = await config.accessToken();
    return withRetries(
      async () => {
        counters.calls++;
        const response = await sendPlatformRequest(http, {
          url: endpoint,
          method: "POST",
          headers: { "x-shopify-access-token": token },
          body: { query, variables },
        });
        return recordOf(response.body) ?? {};
      },
      { policy: runtime.retry, clock: runtime.clock, random: runtime.random, onWait: (ms) => (counters.waitMs += ms) },
    );
  }

  async function graphql(query: string, variables: Json = {}): Promise<GraphqlAnswer> {
    let expected = requestedQueryCost(query, variables);
    for (let throttled = 0; ; throttled++) {
      const before = budget.waitBefore(expected);
      if (before > 0) {
        counters.throttleWaits++;
        await wait(before);
      }
      const body = await send(query, variables);
      const cost = recordOf(recordOf(body.extensions)?.cost);
      const status = throttleStatusOf(cost?.throttleStatus);
      if (status) budget.record(status);
      const errors = records(body.errors);
      if (errors.some((error) => recordOf(error.extensions)?.code === THROTTLED)) {
        counters.throttledResponses++;
        if (typeof cost?.requestedQueryCost === "number") expected = Math.max(expected, cost.requestedQueryCost);
        if (status && expected > status.maximumAvailable) throw new QueryAboveBucket();
        if (throttled >= options.maxThrottledRetries) throw new RateLimited("shopify", "Shopify kept throttling the query", budget.waitBefore(expected));
        // Nothing known of the bucket: a plain backoff before the next try.
        if (!status) await wait(1000);
        continue;
      }
      if (typeof cost?.requestedQueryCost === "number") counters.requestedCost += cost.requestedQueryCost;
      if (typeof cost?.actualQueryCost === "number") counters.actualCost += cost.actualQueryCost;
      if (errors.length > 0 || typeof body.errors === "string") {
        const message = platformMessage(body, 200);
        if (errors.some((error) => recordOf(error.extensions)?.code === "ACCESS_DENIED")) throw new CredentialsRejected("shopify", 403, message);
        const retryable = errors.some((error) => recordOf(error.extensions)?.code === "INTERNAL_SERVER_ERROR");
        throw new PlatformError("shopify", `Shopify GraphQL error: ${message}`, 200, retryable);
      }
      const data = recordOf(body.data);
      if (!data) throw new PlatformError("shopify", "Shopify answered without data", 200, false);
      return { data };
    }
  }

  /** The largest page, up to `wanted`, whose query fits both the single-query limit and the bucket as last reported. */
  const fittingPageSize = (query: string, variables: Json, wanted: number) =>
    pageSizeWithinCost(query, variables, "first", wanted, Math.min(options.maxQueryCost, budget.status?.maximumAvailable ?? Infinity));

  /** Pages through a root connection; `read` turns one page's nodes into items (following nested pages as needed). */
  async function* paginate<T>(query: string, root: string, variables: Json, wanted: number, read: (nodes: Json[]) => Promise<T[]>): AsyncGenerator<T[]> {
    let after: string | null = null;
    do {
      let data: Json;
      try {
        ({ data } = await graphql(query, { ...variables, first: fittingPageSize(query, variables, wanted), after }));
      } catch (error) {
        if (!(error instanceof QueryAboveBucket)) throw error;
        // The bucket's size is known now: sized to it, the page fits.
        ({ data } = await graphql(query, { ...variables, first: fittingPageSize(query, variables, wanted), after }));
      }
      const connection = recordOf(data[root]);
      yield await read(nodesOf(connection));
      const pageInfo = recordOf(connection?.pageInfo);
      after = pageInfo?.hasNextPage === true && typeof pageInfo.endCursor === "string" ? pageInfo.endCursor : null;
    } while (after !== null);
  }

  /** The rest of a nested connection (a product's variants, an order's line items) past its first page. */
  async function remainingNodes(query: string, owner: string, field: string, id: unknown, firstPage: unknown, pageSize: number): Promise<Json[]> {
    const nodes = nodesOf(firstPage);
    let pageInfo = recordOf(recordOf(firstPage)?.pageInfo);
    while (pageInfo?.hasNextPage === true && typeof pageInfo.endCursor === "string") {
      const { data } = await graphql(query, { id, first: pageSize, after: pageInfo.endCursor });
      const connection = recordOf(recordOf(data[owner])?.[field]);
      nodes.push(...nodesOf(connection));
      pageInfo = recordOf(connection?.pageInfo);
    }
    return nodes;
  }

  const updatedSince = (since: string | null) => (since === null ? null : `updated_at:>='${since}'`);

  function single<A>(actions: ReturnType<typeof mapShopify>, type: string): A {
    const action = actions.find((candidate) => candidate.type === type);
    if (!action) throw new PlatformError("shopify", `A Shopify record could not be read as ${type}`, undefined, false);
    return action as A;
  }

  async function* listProductsSince(since: string | null): AsyncGenerator<ProductImport[]> {
    const base = { query: updatedSince(since), variantsFirst: options.variantsPerProduct };
    yield* paginate(PRODUCTS_QUERY, "products", base, options.productPageSize, async (nodes) => {
      const products: ProductImport[] = [];
      for (const node of nodes) {
        const variants = await remainingNodes(PRODUCT_VARIANTS_QUERY, "product", "variants", node.id, node.variants, options.variantsPerProduct);
        products.push(single<ProductImport>(mapShopify("products/update", restProduct(node, variants)), "upsert_product"));
      }
      return products;
    });
  }

  async function* listOrdersSince(since: string | null): AsyncGenerator<OrderImport[]> {
    const base = { query: updatedSince(since), linesFirst: options.lineItemsPerOrder };
    yield* paginate(ORDERS_QUERY, "orders", base, options.orderPageSize, async (nodes) => {
      const orders: OrderImport[] = [];
      for (const node of nodes) {
        const lines = await remainingNodes(ORDER_LINE_ITEMS_QUERY, "order", "lineItems", node.id, node.lineItems, options.lineItemsPerOrder);
        orders.push(single<OrderImport>(mapShopify("orders/updated", restOrder(node, lines)), "import_order"));
      }
      return orders;
    });
  }

  async function* listCustomers(): AsyncGenerator<CustomerImport[]> {
    yield* paginate(CUSTOMERS_QUERY, "customers", {}, options.customerPageSize, async (nodes) =>
      nodes.map((node) => single<CustomerImport>(mapShopify("customers/update", restCustomer(node)), "upsert_customer")),
    );
  }

  async function testConnection(): Promise<ConnectionCheck> {
    const shop = recordOf((await graphql(SHOP_QUERY)).data.shop) ?? {};
    return { platform: "shopify", shop_name: typeof shop.name === "string" ? shop.name : null, currency: typeof shop.currencyCode === "string" ? shop.currencyCode : null };
  }

  let primaryLocation: Promise<string> | undefined;
  const primaryLocationId = () =>
    (primaryLocation ??= graphql(PRIMARY_LOCATION_QUERY).then(({ data }) => {
      const id = recordOf(data.location)?.id;
      if (typeof id !== "string") throw new PlatformError("shopify", "The shop has no primary location", undefined, false);
      return id;
    }));

  /** Inventory item gid per level index; levels that cannot be resolved get an error instead. */
  async function resolveInventoryItems(levels: InventoryLevel[], errors: Map<number, string>): Promise<Map<number, string>> {
    const items = new Map<number, string>();
    const byVariant = new Map<string, number[]>();
    const bySku = new Map<string, number[]>();
    levels.forEach((level, index) => {
      if (!Number.isInteger(level.quantity)) errors.set(index, "quantity must be a whole number");
      else if (level.inventory_item_id) items.set(index, inventoryItemGid(level.inventory_item_id));
      else if (level.external_variant_id) byVariant.set(variantGid(level.external_variant_id), [...(byVariant.get(variantGid(level.external_variant_id)) ?? []), index]);
      else if (level.sku) bySku.set(level.sku, [...(bySku.get(level.sku) ?? []), index]);
      else errors.set(index, "names no inventory item, variant or SKU");
    });
    const variantIds = [...byVariant.keys()];
    for (let start = 0; start < variantIds.length; start += options.inventoryBatchSize) {
      const ids = variantIds.slice(start, start + options.inventoryBatchSize);
      const { data } = await graphql(VARIANTS_BY_ID_QUERY, { ids });
      const found = new Map(records(data.nodes).map((node) => [String(node.id), recordOf(node.inventoryItem)?.id]));
      for (const id of ids) {
        const item = found.get(id);
        for (const index of byVariant.get(id)!) {
          if (typeof item === "string") items.set(index, item);
          else errors.set(index, `unknown variant ${legacyIdOf(id)}`);
        }
      }
    }
    const skus = [...bySku.keys()];
    for (let start = 0; start < skus.length; start += options.skuLookupBatchSize) {
      const batch = skus.slice(start, start + options.skuLookupBatchSize);
      const query = batch.map((sku) => `sku:${JSON.stringify(sku)}`).join(" OR ");
      const { data } = await graphql(VARIANTS_BY_SKU_QUERY, { first: 250, query });
      const found = new Map<string, string[]>();
      for (const node of nodesOf(data.productVariants)) {
        const item = recordOf(node.inventoryItem)?.id;
        if (typeof node.sku === "string" && typeof item === "string") found.set(node.sku, [...(found.get(node.sku) ?? []), item]);
      }
      for (const sku of batch) {
        const matches = found.get(sku) ?? [];
        for (const index of bySku.get(sku)!) {
          if (matches.length === 1) items.set(index, matches[0]!);
          else errors.set(index, matches.length === 0 ? `unknown SKU ${sku}` : `SKU ${sku} names ${matches.length} variants`);
        }
      }
    }
    return items;
  }

  /** The quantity index a user error points at: field ["input", "quantities", "3", …]. */
  const quantityIndexOf = (field: unknown): number | undefined => {
    if (!Array.isArray(field)) return undefined;
    const at = field.indexOf("quantities");
    const index = at >= 0 ? Number(field[at + 1]) : NaN;
    return Number.isInteger(index) ? index : undefined;
  };

  async function setBatch(batch: { index: number; input: Json }[], errors: Map<number, string>): Promise<void> {
    let pending = batch;
    // The mutation applies all or nothing: the quantities it refused are set aside and the others sent again, once.
    for (let round = 0; round < 2 && pending.length > 0; round++) {
      const { data } = await graphql(SET_QUANTITIES_MUTATION, {
        input: { name: "available", reason: "correction", ignoreCompareQuantity: true, quantities: pending.map((entry) => entry.input) },
      });
      const userErrors = records(recordOf(data.inventorySetQuantities)?.userErrors);
      if (userErrors.length === 0) return;
      const refused = new Set<number>();
      for (const error of userErrors) {
        const index = quantityIndexOf(error.field);
        const message = String(error.message ?? error.code ?? "refused");
        if (index === undefined || !pending[index]) {
          for (const entry of pending) errors.set(entry.index, message);
          return;
        }
        refused.add(index);
        errors.set(pending[index].index, message);
      }
      pending = pending.filter((_, index) => !refused.has(index));
    }
    for (const entry of pending) errors.set(entry.index, "Shopify refused the batch");
  }

  async function setInventoryLevels(levels: InventoryLevel[]): Promise<InventoryLevelResult[]> {
    const errors = new Map<number, string>();
    const items = await resolveInventoryItems(levels, errors);
    const entries: { index: number; input: Json }[] = [];
    for (const [index, inventoryItemId] of [...items].sort(([a], [b]) => a - b)) {
      const level = levels[index]!;
      const locationId = level.location_id ? locationGid(level.location_id) : await primaryLocationId();
      entries.push({ index, input: { inventoryItemId, locationId, quantity: level.quantity } });
    }
    for (let start = 0; start < entries.length; start += options.inventoryBatchSize) {
      await setBatch(entries.slice(start, start + options.inventoryBatchSize), errors);
    }
    return levels.map((level, index) => {
      const error = errors.get(index);
      return error === undefined ? { level, ok: true } : { level, ok: false, error };
    });
  }

  return { platform: "shopify", counters, testConnection, listProductsSince, listOrdersSince, listCustomers, setInventoryLevels };
}
