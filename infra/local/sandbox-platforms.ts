/**
 * Sandbox storefront platforms for `npm start`: the in-memory Shopify and
 * WooCommerce simulators on fixed loopback ports, so that a storefront can be
 * pointed at a platform offline (inventory pushes, syncs). Each holds one
 * product, "Test Product" (id 123, SKU TEST-001, no stock), for a push to land
 * on. Their data lives in memory only: a restart empties them.
 */
import { connect, createServer, type Socket } from "node:net";
import { startShopifySimulator, type ShopifySimulator } from "./platforms/shopify-simulator";
import { startWooCommerceSimulator, type WooCommerceSimulator } from "./platforms/woocommerce-simulator";
import { assertPortFree, LocalStackError } from "./emulators";

/** The credentials the sandboxes accept (documented in the README's walk-through). */
export const SANDBOX_CREDENTIALS = {
  shopifyAccessToken: "shpat_sandbox_token",
  wooCommerceConsumerKey: "ck_sandbox_key",
  wooCommerceConsumerSecret: "cs_sandbox_secret",
} as const;

export const SANDBOX_DEFAULT_PORTS = { shopify: 4010, woocommerce: 4011 } as const;

/** The one product each sandbox holds, with no stock. */
export const SANDBOX_PRODUCT = { id: 123, sku: "TEST-001", name: "Test Product" } as const;
const UPDATED_AT = "2024-12-01T00:00:00Z";

export interface SandboxPlatform {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface SandboxPlatforms {
  shopify: SandboxPlatform & { simulator: ShopifySimulator };
  woocommerce: SandboxPlatform & { simulator: WooCommerceSimulator };
  stop(): Promise<void>;
}

function seedShopify(shop: ShopifySimulator): void {
  shop.seedProducts({
    id: SANDBOX_PRODUCT.id,
    title: SANDBOX_PRODUCT.name,
    handle: "test-product",
    status: "ACTIVE",
    updatedAt: UPDATED_AT,
    options: [{ name: "Title", position: 1 }],
    variants: [{ id: 1231, title: "Default Title", sku: SANDBOX_PRODUCT.sku, price: "99.99", inventoryItemId: 1232, selectedOptions: [{ name: "Title", value: "Default Title" }] }],
  });
}

function seedWooCommerce(site: WooCommerceSimulator): void {
  site.seedProducts({
    id: SANDBOX_PRODUCT.id,
    name: SANDBOX_PRODUCT.name,
    slug: "test-product",
    type: "simple",
    status: "publish",
    featured: false,
    description: "",
    short_description: "",
    sku: SANDBOX_PRODUCT.sku,
    price: "99.99",
    regular_price: "99.99",
    sale_price: "",
    on_sale: false,
    manage_stock: true,
    stock_quantity: 0,
    backorders: "no",
    low_stock_amount: null,
    weight: "",
    dimensions: { length: "", width: "", height: "" },
    categories: [],
    tags: [],
    images: [],
    variations: [],
    date_modified_gmt: UPDATED_AT.slice(0, 19),
  });
}

/**
 * The simulators listen on a free port of their own; a plain TCP forwarder
 * gives each its fixed, documented port.
 */
async function forward(port: number, target: string, what: string, envVar: string): Promise<{ close(): Promise<void> }> {
  await assertPortFree(port, what, envVar);
  const { hostname, port: targetPort } = new URL(target);
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    const upstream = connect(Number(targetPort), hostname);
    for (const end of [socket, upstream]) {
      open.add(end);
      end.once("close", () => open.delete(end));
    }
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  await new Promise<void>((listening, reject) => {
    server.once("error", (error) => reject(new LocalStackError(`Cannot listen on port ${port} (${what}): ${error.message}`)));
    server.listen(port, "127.0.0.1", () => listening());
  });
  return {
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        for (const socket of open) socket.destroy();
      }),
  };
}

async function sandbox<T extends { url: string; stop(): Promise<void> }>(simulator: T, port: number, what: string, envVar: string): Promise<SandboxPlatform & { simulator: T }> {
  let server: { close(): Promise<void> };
  try {
    server = await forward(port, simulator.url, what, envVar);
  } catch (error) {
    await simulator.stop();
    throw error;
  }
  return {
    simulator,
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      await server.close();
      await simulator.stop();
    },
  };
}

export async function startSandboxPlatforms(ports: { shopify: number; woocommerce: number }): Promise<SandboxPlatforms> {
  const shop = await startShopifySimulator({ accessToken: SANDBOX_CREDENTIALS.shopifyAccessToken, shopName: "Ocean Sandbox Shop" });
  seedShopify(shop);
  const shopify = await sandbox(shop, ports.shopify, "the Shopify sandbox", "SHOPIFY_SANDBOX_PORT");
  try {
    const site = await startWooCommerceSimulator({
      consumerKey: SANDBOX_CREDENTIALS.wooCommerceConsumerKey,
      consumerSecret: SANDBOX_CREDENTIALS.wooCommerceConsumerSecret,
    });
    seedWooCommerce(site);
    const woocommerce = await sandbox(site, ports.woocommerce, "the WooCommerce sandbox", "WOOCOMMERCE_SANDBOX_PORT");
    return {
      shopify,
      woocommerce,
      stop: async () => {
        await Promise.allSettled([shopify.stop(), woocommerce.stop()]);
      },
    };
  } catch (error) {
    await shopify.stop();
    throw error;
  }
}
