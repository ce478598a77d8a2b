/**
 * The subset of Shopify's GraphQL Admin API the connector uses, in memory:
 * products with variants and inventory items, orders, customers, locations,
 * inventorySetQuantities. Cost-based throttling is a leaky bucket refilled at
 * restoreRate, charged the requested cost of each query (no refund of the
 * unused part); a query over the bucket gets THROTTLED, one over the
 * single-query limit MAX_COST_EXCEEDED.
 */
import { parseOperation, valueOf, type SelectionNode } from "../../../shared/connectors/graphql-document";
import { MAX_SINGLE_QUERY_COST, requestedQueryCost } from "../../../shared/connectors/shopify-query-cost";
import { startJsonServer, type RunningServer, type SimulatorResponse } from "./http-server";

export interface ShopifyVariantSeed {
  id: number;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice?: string | null;
  barcode?: string | null;
  inventoryItemId: number;
  tracked?: boolean;
  inventoryPolicy?: "DENY" | "CONTINUE";
  selectedOptions: { name: string; value: string }[];
}

export interface ShopifyProductSeed {
  id: number;
  title: string;
  handle: string;
  descriptionHtml?: string;
  vendor?: string;
  productType?: string;
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
  tags?: string[];
  publishedAt?: string | null;
  updatedAt: string;
  images?: { id: number; url: string }[];
  options: { name: string; position: number }[];
  variants: ShopifyVariantSeed[];
}

/** An order node as the GraphQL Admin API returns it, connections given as plain lists. */
export interface ShopifyOrderSeed {
  id: number;
  name: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  displayFinancialStatus: string;
  displayFulfillmentStatus: string;
  currencyCode: string;
  totalPrice: string;
  totalTax: string;
  totalDiscounts?: string;
  totalShipping?: string;
  taxesIncluded?: boolean;
  customer?: { id: number; firstName: string | null; lastName: string | null; email: string | null; phone?: string | null } | null;
  lineItems: { id: number; title: string; variantTitle?: string | null; sku: string | null; quantity: number; price: string; productId?: number; variantId?: number; tax?: string }[];
  shippingLines?: { title: string; price: string }[];
}

export interface ShopifyCustomerSeed {
  id: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone?: string | null;
  tags?: string[];
  note?: string | null;
  updatedAt: string;
  marketingState?: "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED";
}

export interface ShopifySimulatorOptions {
  accessToken: string;
  maximumAvailable?: number;
  restoreRate?: number;
  shopName?: string;
  currencyCode?: string;
  locationIds?: number[];
  now?: () => number;
}

export interface InventoryUpdate {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
}

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "USD" } });
const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const numericId = (value: unknown) => (typeof value === "string" ? Number(value.slice(value.lastIndexOf("/") + 1)) : NaN);

type Args = Record<string, unknown>;
type Resolved = Record<string, unknown>;

function connection(items: Resolved[], args: Args): Resolved {
  const first = typeof args.first === "number" ? args.first : 250;
  const start = typeof args.after === "string" ? Number(Buffer.from(args.after, "base64").toString("utf8")) + 1 : 0;
  const page = items.slice(start, start + first);
  const cursor = (index: number) => Buffer.from(String(start + index)).toString("base64");
  return {
    nodes: page,
    edges: page.map((node, index) => ({ cursor: cursor(index), node })),
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursor(0) : null,
      endCursor: page.length > 0 ? cursor(page.length - 1) : null,
    },
  };
}

/** Only the search terms the connector sends: updated_at comparisons and sku:"…" alternatives. */
function matchesSearch(search: unknown, record: { updatedAt?: string; sku?: string | null }): boolean {
  if (typeof search !== "string" || search.trim() === "") return true;
  const updated = /updated_at:(>=|<=|>|<)'?([^'\s]+)'?/.exec(search);
  if (updated && record.updatedAt !== undefined) {
    const [, operator, bound] = updated;
    const difference = Date.parse(record.updatedAt) - Date.parse(bound!);
    const keep = operator === ">=" ? difference >= 0 : operator === ">" ? difference > 0 : operator === "<=" ? difference <= 0 : difference < 0;
    if (!keep) return false;
  }
  const skus = [...search.matchAll(/sku:(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+))/g)].map((match) => (match[1] !== undefined ? JSON.parse(`"${match[1]}"`) : (match[2] ?? match[3])) as string);
  if (skus.length > 0) return record.sku !== undefined && record.sku !== null && skus.includes(record.sku);
  return true;
}

const byUpdatedAt = (sortKey: unknown) => (a: { updatedAt: string; id: number }, b: { updatedAt: string; id: number }) =>
  sortKey === "UPDATED_AT" ? Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.id - b.id : a.id - b.id;

export class ShopifySimulator {
  readonly products = new Map<number, ShopifyProductSeed>();
  readonly orders = new Map<number, ShopifyOrderSeed>();
  readonly customers = new Map<number, ShopifyCustomerSeed>();
  /** available per "inventoryItemId@locationId". */
  readonly levels = new Map<string, number>();
  readonly inventoryUpdates: InventoryUpdate[] = [];
  readonly mutationBatchSizes: number[] = [];
  readonly counters = { requests: 0, unauthorized: 0, throttled: 0, byRoot: {} as Record<string, number> };
  private available: number;
  private lastRefill: number;
  private server: RunningServer | undefined;
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  readonly locationIds: number[];
  private readonly now: () => number;

  constructor(private readonly options: ShopifySimulatorOptions) {
    this.maximumAvailable = options.maximumAvailable ?? 1000;
    this.restoreRate = options.restoreRate ?? 50;
    this.locationIds = options.locationIds ?? [1];
    this.now = options.now ?? Date.now;
    this.available = this.maximumAvailable;
    this.lastRefill = this.now();
  }

  get url(): string {
    if (!this.server) throw new Error("The simulator is not started");
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await startJsonServer((request) => {
      if (request.method !== "POST" || !/^\/admin\/api\/[\w-]+\/graphql\.json$/.test(request.url.pathname)) return { status: 404, body: { errors: "Not Found" } };
      return this.handle(request.headers["x-shopify-access-token"], request.body);
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  seedProducts(...products: ShopifyProductSeed[]): void {
    for (const product of products) {
      this.products.set(product.id, product);
      for (const variant of product.variants) if (!this.levels.has(`${variant.inventoryItemId}@${this.locationIds[0]}`)) this.levels.set(`${variant.inventoryItemId}@${this.locationIds[0]}`, 0);
    }
  }

  seedOrders(...orders: ShopifyOrderSeed[]): void {
    for (const order of orders) this.orders.set(order.id, order);
  }

  seedCustomers(...customers: ShopifyCustomerSeed[]): void {
    for (const customer of customers) this.customers.set(customer.id, customer);
  }

  setLevel(inventoryItemId: number, quantity: number, locationId = this.locationIds[0]!): void {
    this.levels.set(`${inventoryItemId}@${locationId}`, quantity);
  }

  levelOf(inventoryItemId: number, locationId = this.locationIds[0]!): number | undefined {
    return this.levels.get(`${inventoryItemId}@${locationId}`);
  }

  /** Empties the bucket, as if other calls had just used it. */
  drainBucket(to = 0): void {
    this.refill();
    this.available = to;
  }

  private refill(): void {
    const now = this.now();
    this.available = Math.min(this.maximumAvailable, this.available + (this.restoreRate * (now - this.lastRefill)) / 1000);
    this.lastRefill = now;
  }

  private throttleStatus() {
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }

  private handle(token: unknown, body: unknown): SimulatorResponse {
    this.counters.requests++;
    if (token !== this.options.accessToken) {
      this.counters.unauthorized++;
      return { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } };
    }
    const { query, variables = {} } = (body ?? {}) as { query?: string; variables?: Record<string, unknown> };
    if (typeof query !== "string") return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
    const operation = parseOperation(query);
    const requested = requestedQueryCost(query, variables);
    this.refill();
    if (requested > MAX_SINGLE_QUERY_COST) {
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_SINGLE_QUERY_COST },
            },
          ],
        },
      };
    }
    if (requested > this.available) {
      this.counters.throttled++;
      return {
        status: 200,
        body: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: this.throttleStatus() } },
        },
      };
    }
    this.available -= requested;
    const root = operation.operation === "mutation" ? this.mutationRoot() : this.queryRoot();
    for (const selection of operation.selections) if (selection.kind === "field") this.counters.byRoot[selection.name] = (this.counters.byRoot[selection.name] ?? 0) + 1;
    const data = project(root, operation.selections, variables);
    return { status: 200, body: { data, extensions: { cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: this.throttleStatus() } } } };
  }

  private variantNode(variant: ShopifyVariantSeed): Resolved {
    const quantity = this.locationIds.reduce((sum, location) => sum + (this.levels.get(`${variant.inventoryItemId}@${location}`) ?? 0), 0);
    return {
      __typename: "ProductVariant",
      id: gid("ProductVariant", variant.id),
      title: variant.title,
      sku: variant.sku,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice ?? null,
      barcode: variant.barcode ?? null,
      inventoryQuantity: quantity,
      inventoryPolicy: variant.inventoryPolicy ?? "DENY",
      selectedOptions: variant.selectedOptions,
      inventoryItem: { __typename: "InventoryItem", id: gid("InventoryItem", variant.inventoryItemId), tracked: variant.tracked ?? true },
    };
  }

  private productNode(product: ShopifyProductSeed): Resolved {
    const images = (product.images ?? []).map((image) => ({ id: gid("ProductImage", image.id), url: image.url }));
    return {
      __typename: "Product",
      id: gid("Product", product.id),
      title: product.title,
      handle: product.handle,
      descriptionHtml: product.descriptionHtml ?? "",
      vendor: product.vendor ?? "",
      productType: product.productType ?? "",
      status: product.status ?? "ACTIVE",
      tags: product.tags ?? [],
      publishedAt: product.publishedAt ?? null,
      updatedAt: product.updatedAt,
      featuredImage: images[0] ? { url: images[0].url } : null,
      images: (args: Args) => connection(images, args),
      options: product.options,
      variants: (args: Args) => connection(product.variants.map((variant) => this.variantNode(variant)), args),
    };
  }

  private orderNode(order: ShopifyOrderSeed): Resolved {
    const lines = order.lineItems.map((line) => ({
      id: gid("LineItem", line.id),
      title: line.title,
      variantTitle: line.variantTitle ?? null,
      sku: line.sku,
      quantity: line.quantity,
      requiresShipping: true,
      taxable: true,
      product: line.productId ? { id: gid("Product", line.productId) } : null,
      variant: line.variantId ? { id: gid("ProductVariant", line.variantId) } : null,
      originalUnitPriceSet: money(line.price),
      discountAllocations: [],
      taxLines: line.tax ? [{ priceSet: money(line.tax) }] : [],
    }));
    const shippingLines = (order.shippingLines ?? []).map((line) => ({ title: line.title, originalPriceSet: money(line.price), discountedPriceSet: money(line.price), discountAllocations: [] }));
    const customer = order.customer ? { ...order.customer, id: gid("Customer", order.customer.id), phone: order.customer.phone ?? null } : null;
    return {
      __typename: "Order",
      id: gid("Order", order.id),
      name: order.name,
      email: order.email,
      phone: null,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      processedAt: order.createdAt,
      cancelledAt: null,
      displayFinancialStatus: order.displayFinancialStatus,
      displayFulfillmentStatus: order.displayFulfillmentStatus,
      currencyCode: order.currencyCode,
      taxesIncluded: order.taxesIncluded ?? false,
      test: false,
      note: null,
      tags: [],
      paymentGatewayNames: ["manual"],
      totalPriceSet: money(order.totalPrice),
      totalTaxSet: money(order.totalTax),
      totalDiscountsSet: money(order.totalDiscounts ?? "0.00"),
      totalShippingPriceSet: money(order.totalShipping ?? "0.00"),
      customer,
      shippingAddress: null,
      billingAddress: null,
      shippingLines: (args: Args) => connection(shippingLines, args),
      lineItems: (args: Args) => connection(lines, args),
    };
  }

  private customerNode(customer: ShopifyCustomerSeed): Resolved {
    return {
      __typename: "Customer",
      id: gid("Customer", customer.id),
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      phone: customer.phone ?? null,
      note: customer.note ?? null,
      tags: customer.tags ?? [],
      updatedAt: customer.updatedAt,
      emailMarketingConsent: customer.email ? { marketingState: customer.marketingState ?? "NOT_SUBSCRIBED" } : null,
    };
  }

  private allVariants(): ShopifyVariantSeed[] {
    return [...this.products.values()].flatMap((product) => product.variants);
  }

  private queryRoot(): Resolved {
    return {
      shop: { name: this.options.shopName ?? "Simulated Shop", myshopifyDomain: "simulated.myshopify.com", currencyCode: this.options.currencyCode ?? "USD" },
      location: (args: Args) => {
        const id = args.id === undefined ? this.locationIds[0] : numericId(args.id);
        return this.locationIds.includes(id!) ? { id: gid("Location", id!) } : null;
      },
      products: (args: Args) =>
        connection([...this.products.values()].filter((product) => matchesSearch(args.query, product)).sort(byUpdatedAt(args.sortKey)).map((product) => this.productNode(product)), args),
      product: (args: Args) => {
        const product = this.products.get(numericId(args.id));
        return product ? this.productNode(product) : null;
      },
      orders: (args: Args) =>
        connection([...this.orders.values()].filter((order) => matchesSearch(args.query, order)).sort(byUpdatedAt(args.sortKey)).map((order) => this.orderNode(order)), args),
      order: (args: Args) => {
        const order = this.orders.get(numericId(args.id));
        return order ? this.orderNode(order) : null;
      },
      customers: (args: Args) => connection([...this.customers.values()].sort((a, b) => a.id - b.id).map((customer) => this.customerNode(customer)), args),
      productVariants: (args: Args) =>
        connection(this.allVariants().filter((variant) => matchesSearch(args.query, { sku: variant.sku })).map((variant) => this.variantNode(variant)), args),
      nodes: (args: Args) =>
        (Array.isArray(args.ids) ? args.ids : []).map((id) => {
          const variant = String(id).startsWith("gid://shopify/ProductVariant/") ? this.allVariants().find((candidate) => candidate.id === numericId(id)) : undefined;
          return variant ? this.variantNode(variant) : null;
        }),
    };
  }

  private mutationRoot(): Resolved {
    return { inventorySetQuantities: (args: Args) => this.setQuantities(args.input as Record<string, unknown>) };
  }

  /** All or nothing, as Shopify applies it: any user error leaves every quantity as it was. */
  private setQuantities(input: Record<string, unknown>): Resolved {
    const quantities = Array.isArray(input.quantities) ? (input.quantities as Record<string, unknown>[]) : [];
    this.mutationBatchSizes.push(quantities.length);
    const userErrors: Resolved[] = [];
    if (input.name !== "available" && input.name !== "on_hand") userErrors.push({ code: "INVALID_NAME", field: ["input", "name"], message: "The quantity name must be either 'available' or 'on_hand'." });
    if (input.ignoreCompareQuantity !== true && quantities.some((quantity) => quantity.compareQuantity === undefined)) {
      userErrors.push({ code: "COMPARE_QUANTITY_REQUIRED", field: ["input", "ignoreCompareQuantity"], message: "The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity." });
    }
    const knownItems = new Set(this.allVariants().map((variant) => variant.inventoryItemId));
    quantities.forEach((quantity, index) => {
      const field = (name: string) => ["input", "quantities", String(index), name];
      if (!knownItems.has(numericId(quantity.inventoryItemId))) userErrors.push({ code: "INVALID_INVENTORY_ITEM", field: field("inventoryItemId"), message: "The specified inventory item could not be found." });
      else if (!this.locationIds.includes(numericId(quantity.locationId))) userErrors.push({ code: "INVALID_LOCATION", field: field("locationId"), message: "The specified location could not be found." });
      else if (typeof quantity.quantity !== "number" || quantity.quantity < 0) userErrors.push({ code: "INVALID_QUANTITY_NEGATIVE", field: field("quantity"), message: "The quantity can't be negative." });
    });
    if (userErrors.length > 0) return { inventoryAdjustmentGroup: null, userErrors };
    for (const quantity of quantities) {
      const update = { inventoryItemId: String(quantity.inventoryItemId), locationId: String(quantity.locationId), quantity: Number(quantity.quantity) };
      this.inventoryUpdates.push(update);
      this.levels.set(`${numericId(update.inventoryItemId)}@${numericId(update.locationId)}`, update.quantity);
    }
    return { inventoryAdjustmentGroup: { reason: input.reason, changes: [] }, userErrors: [] };
  }
}

/** Resolves a selection set against plain objects whose connection fields are functions of their arguments. */
function project(value: Resolved, selections: SelectionNode[], variables: Record<string, unknown>): Resolved {
  const out: Resolved = {};
  for (const selection of selections) {
    if (selection.kind === "inline") {
      if (selection.typeCondition === undefined || selection.typeCondition === value.__typename) Object.assign(out, project(value, selection.selections, variables));
      continue;
    }
    const args = Object.fromEntries(Object.entries(selection.args).map(([name, argument]) => [name, valueOf(argument, variables)]));
    const field = value[selection.name];
    const raw = typeof field === "function" ? (field as (args: Args) => unknown)(args) : field;
    out[selection.alias ?? selection.name] = shape(raw, selection.selections, variables);
  }
  return out;
}

function shape(raw: unknown, selections: SelectionNode[], variables: Record<string, unknown>): unknown {
  if (raw === undefined) return null;
  if (selections.length === 0 || raw === null) return raw;
  if (Array.isArray(raw)) return raw.map((item) => shape(item, selections, variables));
  return project(raw as Resolved, selections, variables);
}

export async function startShopifySimulator(options: ShopifySimulatorOptions): Promise<ShopifySimulator> {
  return new ShopifySimulator(options).start();
}
