/**
 * The subset of WooCommerce's REST API v3 the connector uses, in memory:
 * products, variations, orders, customers (objects in the documented shapes,
 * as the test seeds them), page/per_page with X-WP-Total and X-WP-TotalPages,
 * modified_after, sku (variations included, as Woo does), and the batch
 * endpoints. Basic auth with the consumer key and secret; a fixed window of
 * requests after which it answers 429 with Retry-After.
 */
import { startJsonServer, type RunningServer, type SimulatorRequest, type SimulatorResponse } from "./http-server";

type Json = Record<string, unknown>;

export interface WooCommerceSimulatorOptions {
  consumerKey: string;
  consumerSecret: string;
  /** Requests allowed per window before 429. */
  rateLimit?: { requests: number; windowMs: number; retryAfterSeconds: number };
  now?: () => number;
}

export interface StockUpdate {
  productId: number;
  variationId?: number;
  stock_quantity: number;
}

const BASE = "/wp-json/wc/v3";
const MAX_BATCH = 100;

const error = (status: number, code: string, message: string, headers?: Record<string, string>): SimulatorResponse => ({ status, body: { code, message, data: { status } }, headers });

export class WooCommerceSimulator {
  readonly products = new Map<number, Json>();
  readonly variations = new Map<number, Json[]>();
  readonly orders = new Map<number, Json>();
  readonly customers = new Map<number, Json>();
  readonly stockUpdates: StockUpdate[] = [];
  readonly batchSizes: number[] = [];
  readonly counters = { requests: 0, unauthorized: 0, rateLimited: 0 };
  readonly requestLog: string[] = [];
  private window = { start: 0, count: 0 };
  private server: RunningServer | undefined;
  private readonly now: () => number;

  constructor(private readonly options: WooCommerceSimulatorOptions) {
    this.now = options.now ?? Date.now;
  }

  get url(): string {
    if (!this.server) throw new Error("The simulator is not started");
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await startJsonServer((request) => this.handle(request));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  seedProducts(...products: Json[]): void {
    for (const product of products) this.products.set(Number(product.id), product);
  }

  seedVariations(productId: number, ...variations: Json[]): void {
    this.variations.set(productId, [...(this.variations.get(productId) ?? []), ...variations.map((variation) => ({ ...variation, parent_id: productId }))]);
  }

  seedOrders(...orders: Json[]): void {
    for (const order of orders) this.orders.set(Number(order.id), order);
  }

  seedCustomers(...customers: Json[]): void {
    for (const customer of customers) this.customers.set(Number(customer.id), customer);
  }

  variation(productId: number, variationId: number): Json | undefined {
    return this.variations.get(productId)?.find((variation) => variation.id === variationId);
  }

  private authorized(header: string | string[] | undefined): SimulatorResponse | undefined {
    const value = typeof header === "string" ? header : undefined;
    if (!value?.startsWith("Basic ")) return error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    const [key, secret] = Buffer.from(value.slice(6), "base64").toString("utf8").split(":");
    if (key !== this.options.consumerKey) return error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
    if (secret !== this.options.consumerSecret) return error(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.");
    return undefined;
  }

  private limited(): SimulatorResponse | undefined {
    const limit = this.options.rateLimit;
    if (!limit) return undefined;
    const now = this.now();
    if (now - this.window.start >= limit.windowMs) this.window = { start: now, count: 0 };
    this.window.count++;
    if (this.window.count <= limit.requests) return undefined;
    this.counters.rateLimited++;
    return error(429, "rest_too_many_requests", "Too many requests, please slow down.", { "retry-after": String(limit.retryAfterSeconds) });
  }

  private handle(request: SimulatorRequest): SimulatorResponse {
    this.counters.requests++;
    this.requestLog.push(`${request.method} ${request.url.pathname}${request.url.search}`);
    const denied = this.authorized(request.headers.authorization);
    if (denied) {
      this.counters.unauthorized++;
      return denied;
    }
    const limited = this.limited();
    if (limited) return limited;
    const path = request.url.pathname.startsWith(BASE) ? request.url.pathname.slice(BASE.length) : undefined;
    const query = request.url.searchParams;
    let match: RegExpExecArray | null;
    if (request.method === "GET" && path === "/products") return this.list(this.productsFor(query), query);
    if (request.method === "GET" && (match = /^\/products\/(\d+)\/variations$/.exec(path ?? ""))) {
      if (!this.products.has(Number(match[1]))) return error(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
      return this.list(this.variations.get(Number(match[1])) ?? [], query);
    }
    if (request.method === "GET" && path === "/orders") return this.list([...this.orders.values()], query);
    if (request.method === "GET" && path === "/customers") return this.list([...this.customers.values()], query);
    if (request.method === "POST" && path === "/products/batch") return this.batch(request.body, (id) => this.products.get(id), (id) => ({ productId: id }));
    if (request.method === "POST" && (match = /^\/products\/(\d+)\/variations\/batch$/.exec(path ?? ""))) {
      const productId = Number(match[1]);
      if (!this.products.has(productId)) return error(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
      return this.batch(request.body, (id) => this.variation(productId, id), (id) => ({ productId, variationId: id }));
    }
    return error(404, "rest_no_route", "No route was found matching the URL and request method.");
  }

  private productsFor(query: URLSearchParams): Json[] {
    const sku = query.get("sku");
    if (!sku) return [...this.products.values()];
    const wanted = new Set(sku.split(","));
    const variations: Json[] = [...this.variations.values()].flat().map((variation) => ({ ...variation, type: "variation" }));
    return [...this.products.values(), ...variations].filter((item: Json) => typeof item.sku === "string" && wanted.has(item.sku));
  }

  private list(items: Json[], query: URLSearchParams): SimulatorResponse {
    const perPage = Number(query.get("per_page") ?? 10);
    const page = Number(query.get("page") ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return error(400, "rest_invalid_param", "Invalid parameter(s): per_page");
    const after = query.get("modified_after");
    const filtered = items
      .filter((item) => after === null || Date.parse(`${String(item.date_modified_gmt)}Z`) > Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(after) ? after : `${after}Z`))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const totalPages = Math.ceil(filtered.length / perPage);
    return {
      status: 200,
      body: filtered.slice((page - 1) * perPage, page * perPage),
      headers: { "x-wp-total": String(filtered.length), "x-wp-totalpages": String(totalPages) },
    };
  }

  private batch(body: unknown, find: (id: number) => Json | undefined, target: (id: number) => Omit<StockUpdate, "stock_quantity">): SimulatorResponse {
    const updates = Array.isArray((body as Json | undefined)?.update) ? ((body as Json).update as Json[]) : [];
    if (updates.length > MAX_BATCH) return error(413, "woocommerce_rest_request_entity_too_large", `Unable to accept more than ${MAX_BATCH} items for this request.`);
    this.batchSizes.push(updates.length);
    const answered = updates.map((update) => {
      const id = Number(update.id);
      const item = find(id);
      if (!item) return { id, error: { code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", data: { status: 400 } } };
      if (typeof update.stock_quantity === "number") {
        item.stock_quantity = update.stock_quantity;
        item.manage_stock = update.manage_stock ?? item.manage_stock;
        item.date_modified_gmt = new Date(this.now()).toISOString().slice(0, 19);
        this.stockUpdates.push({ ...target(id), stock_quantity: update.stock_quantity });
      }
      return item;
    });
    return { status: 200, body: { update: answered } };
  }
}

export async function startWooCommerceSimulator(options: WooCommerceSimulatorOptions): Promise<WooCommerceSimulator> {
  return new WooCommerceSimulator(options).start();
}
