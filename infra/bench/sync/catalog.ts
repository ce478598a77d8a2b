/** The `sync` suite's Shopify catalog: deterministic products of three sizes each, with a stock level per variant. */
import type { ShopifyProductSeed, ShopifySimulator } from "../../local/platforms/shopify-simulator";

export const SIZES = ["S", "M", "L"] as const;
const UPDATED_FROM = Date.parse("2024-01-01T00:00:00Z");

/** Product `id` (1-based); its variants are id×10+0..2, their inventory items the same numbers. */
export function benchProduct(id: number): ShopifyProductSeed {
  return {
    id,
    title: `Bench tee ${id}`,
    handle: `bench-tee-${id}`,
    descriptionHtml: "<p>Organic cotton tee, regular fit.</p>",
    vendor: "Ocean Bench",
    productType: "Shirts",
    status: id % 10 === 0 ? "DRAFT" : "ACTIVE",
    tags: ["bench", `batch-${id % 20}`],
    publishedAt: id % 10 === 0 ? null : "2024-01-01T00:00:00Z",
    updatedAt: new Date(UPDATED_FROM + id * 60_000).toISOString(),
    images: [{ id, url: `https://cdn.example.com/bench/${id}.jpg` }],
    options: [{ name: "Size", position: 1 }],
    variants: SIZES.map((size, index) => ({
      id: id * 10 + index,
      title: size,
      sku: `BENCH-${id}-${size}`,
      price: `${10 + (id % 90)}.${index}9`,
      compareAtPrice: id % 3 === 0 ? `${20 + (id % 90)}.00` : null,
      inventoryItemId: id * 10 + index,
      selectedOptions: [{ name: "Size", value: size }],
    })),
  };
}

export function seedCatalog(shop: ShopifySimulator, products: number): void {
  for (let id = 1; id <= products; id++) {
    const product = benchProduct(id);
    shop.seedProducts(product);
    for (const variant of product.variants) shop.setLevel(variant.inventoryItemId, (id + variant.id) % 25);
  }
}
