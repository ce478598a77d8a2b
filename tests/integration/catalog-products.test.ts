import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { startTestStack, type TestStack } from "../support/test-stack";
import { categoryInput, productInput, variantInput } from "../support/catalog-factories";

let hub: TestStack;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  hub = await startTestStack();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
});
afterAll(async () => {
  doc?.destroy();
  await hub?.stop();
});

async function upsert(body: Record<string, unknown>, key?: string) {
  return hub.call("POST", "/api/ecommerce/products", { json: body, key });
}

async function item(pk: string, sk: string) {
  return (await doc.send(new GetCommand({ TableName: hub.table.tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
}

const productItem = (id: number) => item(`PRODUCT#${id}`, "PRODUCT");
const lookupItem = (storefrontId: number, externalId: string) => item(`STOREFRONT#${storefrontId}#EXTPRODUCT#${externalId}`, "LOOKUP");

const putItem = (value: Record<string, unknown>) => doc.send(new PutCommand({ TableName: hub.table.tableName, Item: value }));

const fieldsOf = (response: { body: { error: { details: { field: string }[] } } }) =>
  response.body.error.details.map((issue) => issue.field).sort();

describe("upserting products", () => {
  it("creates a product with the contract's fields, money exact, and answers 201 created", async () => {
    const storefront = await hub.createStorefront();
    const response = await upsert(
      productInput(storefront.storefront_id, {
        external_product_id: "prod_abc123",
        external_sku: "LAP-001",
        product_name: 'Professional Laptop 15"',
        short_description: "High-performance laptop",
        price: 1299.99,
        compare_at_price: "1499.99",
        cost_per_item: 0.1,
        inventory_quantity: 25,
        weight: 2.5,
        length: 35.7,
        weight_unit: "kg",
        featured_image_url: "https://cdn.example.com/laptop.jpg",
        image_urls: ["https://cdn.example.com/laptop-2.jpg"],
        meta_title: "Laptop",
        is_published: true,
        tags: ["electronics", "laptops"],
        custom_fields: { warranty: { years: 2 } },
        external_metadata: { handle: "professional-laptop" },
        sync_direction: "store_to_erp",
        created_by: 1,
      }),
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ message: "Product created successfully", action: "created", changed: true, stale: false });
    const product = response.body.product;
    expect(Number.isInteger(product.ecommerce_product_id)).toBe(true);
    expect(product).toMatchObject({
      storefront_id: storefront.storefront_id,
      external_product_id: "prod_abc123",
      external_sku: "LAP-001",
      currency: "USD",
      price: "1299.99",
      compare_at_price: "1499.99",
      cost_per_item: "0.10",
      inventory_quantity: 25,
      inventory_tracked: true,
      allow_backorder: false,
      low_stock_threshold: 10,
      stock_status: "in_stock",
      weight: 2.5,
      length: 35.7,
      is_published: true,
      sync_status: "pending",
      sync_direction: "store_to_erp",
      tags: ["electronics", "laptops"],
      custom_fields: { warranty: { years: 2 } },
      variant_count: 0,
      created_by: 1,
    });
    expect(product.published_at).toBeTruthy();
    const stored = await productItem(product.ecommerce_product_id);
    expect(stored).toMatchObject({ price_minor: 129999, compare_at_price_minor: 149999, cost_per_item_minor: 10, entity: "product" });
    expect(await lookupItem(storefront.storefront_id, "prod_abc123")).toMatchObject({ ecommerce_product_id: product.ecommerce_product_id });
  });

  it("accepts numeric platform ids and amounts in the storefront's currency", async () => {
    const storefront = await hub.createStorefront({ default_currency: "JPY" });
    const response = await upsert(productInput(storefront.storefront_id, { external_product_id: 7001234567890, price: 1500 }));
    expect(response.status).toBe(201);
    expect(response.body.product).toMatchObject({ external_product_id: "7001234567890", currency: "JPY", price: "1500" });
  });

  it("updates the product with the same external id, keeping the fields left out", async () => {
    const storefront = await hub.createStorefront();
    const input = productInput(storefront.storefront_id, { tags: ["a"], is_published: true });
    const created = (await upsert(input)).body.product;
    const updated = await upsert({ storefront_id: storefront.storefront_id, external_product_id: input.external_product_id, product_name: "Renamed", price: "5" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ message: "Product updated successfully", action: "updated", changed: true, stale: false });
    expect(updated.body.product).toMatchObject({ ecommerce_product_id: created.ecommerce_product_id, product_name: "Renamed", price: "5.00", tags: ["a"], is_published: true });
    expect(updated.body.product.updated_at > created.updated_at).toBe(true);
  });

  it("changes nothing when the same request is replayed, not even updated_at", async () => {
    const storefront = await hub.createStorefront();
    const input = productInput(storefront.storefront_id, { updated_at: "2024-12-04T10:30:00Z", custom_fields: { a: 1, b: 2 } });
    const created = (await upsert(input)).body.product;
    const before = await productItem(created.ecommerce_product_id);

    const replay = await upsert({ ...input, custom_fields: { b: 2, a: 1 } });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ action: "updated", changed: false, stale: false, message: "Product unchanged: the request matches the stored product" });
    expect(await productItem(created.ecommerce_product_id)).toEqual(before);

    const { updated_at: _platformTime, ...withoutTimestamp } = input;
    expect((await upsert(withoutTimestamp)).body.changed).toBe(false);
    expect(await productItem(created.ecommerce_product_id)).toEqual(before);
  });

  it("does not let an older platform update overwrite newer data", async () => {
    const storefront = await hub.createStorefront();
    const input = productInput(storefront.storefront_id);
    const created = (await upsert({ ...input, product_name: "Version 2", updated_at: "2024-12-04T10:30:00+01:00" })).body.product;
    expect(created.platform_updated_at).toBe("2024-12-04T09:30:00.000Z");
    const before = await productItem(created.ecommerce_product_id);

    const older = await upsert({ ...input, product_name: "Version 1", updated_at: "2024-12-04T09:00:00Z" });
    expect(older.status).toBe(200);
    expect(older.body).toMatchObject({ action: "updated", changed: false, stale: true });
    expect(older.body.message).toContain("not newer");
    expect(older.body.product.product_name).toBe("Version 2");
    const sameTimeOtherContent = await upsert({ ...input, product_name: "Version 1b", updated_at: "2024-12-04T09:30:00Z" });
    expect(sameTimeOtherContent.body).toMatchObject({ changed: false, stale: true });
    expect(await productItem(created.ecommerce_product_id)).toEqual(before);

    const newer = await upsert({ ...input, product_name: "Version 3", updated_at: "2024-12-04T11:00:00Z" });
    expect(newer.body).toMatchObject({ changed: true, stale: false });
    expect(newer.body.product).toMatchObject({ product_name: "Version 3", platform_updated_at: "2024-12-04T11:00:00.000Z" });
  });

  it("creates one product when the same external id arrives concurrently", async () => {
    const storefront = await hub.createStorefront();
    const input = productInput(storefront.storefront_id);
    const responses = await Promise.all(Array.from({ length: 6 }, (_, index) => upsert({ ...input, inventory_quantity: 10 + index })));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const ids = new Set(responses.map((response) => response.body.product.ecommerce_product_id));
    expect(ids.size).toBe(1);
    const list = await hub.call("GET", `/api/ecommerce/products?storefront_id=${storefront.storefront_id}`);
    expect(list.body.products).toHaveLength(1);
  });

  /** A create claims the external id, then writes the product: a crash between the two leaves the claim alone. */
  const danglingClaim = async (storefrontId: number, externalId: string) => {
    const id = 800_000_000 + storefrontId;
    await putItem({ pk: `STOREFRONT#${storefrontId}#EXTPRODUCT#${externalId}`, sk: "LOOKUP", entity: "product_lookup", ecommerce_product_id: id });
    return id;
  };

  it("writes the product of a claim a crashed create left without it, under the claimed id, and counts it once", async () => {
    const storefront = await hub.createStorefront();
    const input = productInput(storefront.storefront_id, { product_name: "Recovered", updated_at: "2024-12-04T10:30:00Z" });
    const claimedId = await danglingClaim(storefront.storefront_id, String(input.external_product_id));

    const repaired = await upsert(input);
    expect(repaired.status).toBe(201);
    expect(repaired.body).toMatchObject({ action: "created", changed: true, stale: false });
    expect(repaired.body.product).toMatchObject({ ecommerce_product_id: claimedId, product_name: "Recovered", external_product_id: input.external_product_id });
    expect(await productItem(claimedId)).toMatchObject({ product_name: "Recovered", version: 1 });
    expect(await lookupItem(storefront.storefront_id, String(input.external_product_id))).toMatchObject({ ecommerce_product_id: claimedId });

    const replay = await upsert(input);
    expect(replay.body).toMatchObject({ action: "updated", changed: false, stale: false });
    expect(replay.body.product.ecommerce_product_id).toBe(claimedId);
    await hub.drain();
    const list = await hub.call("GET", `/api/ecommerce/products?storefront_id=${storefront.storefront_id}`);
    expect(list.body.products.map((product: { ecommerce_product_id: number }) => product.ecommerce_product_id)).toEqual([claimedId]);
    expect(list.body.statistics.total_products).toBe(1);
  });

  it("creates one product when concurrent requests find the same claim without its product", async () => {
    const storefront = await hub.createStorefront();
    const input = productInput(storefront.storefront_id);
    const claimedId = await danglingClaim(storefront.storefront_id, String(input.external_product_id));
    const responses = await Promise.all(Array.from({ length: 6 }, (_, index) => upsert({ ...input, inventory_quantity: 10 + index })));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.product.ecommerce_product_id))).toEqual(new Set([claimedId]));
    await hub.drain();
    const list = await hub.call("GET", `/api/ecommerce/products?storefront_id=${storefront.storefront_id}`);
    expect(list.body.products).toHaveLength(1);
    expect(list.body.statistics.total_products).toBe(1);
  });
});

describe("reading, changing and deleting a product", () => {
  it("reads details with variants, the storefront's name and sales totals (0 until orders exist)", async () => {
    const storefront = await hub.createStorefront();
    const product = (await upsert(productInput(storefront.storefront_id))).body.product;
    const id = product.ecommerce_product_id;
    const fresh = await hub.call("GET", `/api/ecommerce/products/${id}`);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ ecommerce_product_id: id, storefront_name: storefront.storefront_name, variants: [], total_orders: 0, total_quantity_sold: 0 });

    const variant = (await hub.call("POST", `/api/ecommerce/products/${id}/variants`, { json: variantInput({ variant_name: "16GB RAM / 512GB SSD", price: 1299.99, inventory_quantity: 15 }) })).body.variant;
    await putItem({ pk: `PRODUCT#${id}`, sk: "STATS", order_count: 12, total_quantity_sold: 15 });
    const details = (await hub.call("GET", `/api/ecommerce/products/${id}`)).body;
    expect(details).toMatchObject({ inventory_quantity: 15, variant_count: 1, total_orders: 12, total_quantity_sold: 15 });
    expect(details.variants).toEqual([expect.objectContaining({ variant_id: variant.variant_id, variant_name: "16GB RAM / 512GB SSD", price: "1299.99", inventory_quantity: 15 })]);
    expect((await hub.call("GET", "/api/ecommerce/products/99999999")).status).toBe(404);
  });

  it("changes the updatable fields, clears optional ones with null, and refuses empty or unknown", async () => {
    const storefront = await hub.createStorefront();
    const otherStorefront = await hub.createStorefront();
    const category = (await hub.call("POST", "/api/ecommerce/categories", { json: categoryInput(storefront.storefront_id) })).body.category;
    const foreignCategory = (await hub.call("POST", "/api/ecommerce/categories", { json: categoryInput(otherStorefront.storefront_id) })).body.category;
    const product = (await upsert(productInput(storefront.storefront_id, { short_description: "old", meta_title: "T" }))).body.product;
    const path = `/api/ecommerce/products/${product.ecommerce_product_id}`;

    const updated = await hub.call("PUT", path, {
      key: hub.keys.operator,
      json: { product_name: "New name", price: "10.5", short_description: null, is_featured: true, is_on_sale: true, meta_description: "SEO", ecommerce_category_id: category.ecommerce_category_id, inventory_quantity: 3 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.message).toBe("Product updated successfully");
    expect(updated.body.product).toMatchObject({
      product_name: "New name",
      price: "10.50",
      short_description: null,
      meta_title: "T",
      is_featured: true,
      is_on_sale: true,
      meta_description: "SEO",
      ecommerce_category_id: category.ecommerce_category_id,
      stock_status: "low_stock",
    });
    expect((await hub.call("PUT", path, { json: {} })).status).toBe(400);
    expect((await hub.call("PUT", "/api/ecommerce/products/99999999", { json: { product_name: "x" } })).status).toBe(404);
    const foreign = await hub.call("PUT", path, { json: { ecommerce_category_id: foreignCategory.ecommerce_category_id } });
    expect(foreign.status).toBe(400);
    expect(fieldsOf(foreign)).toEqual(["body.ecommerce_category_id"]);
  });

  it("refuses to delete a product with orders, and deletes one without, with its variants", async () => {
    const storefront = await hub.createStorefront();
    const sold = (await upsert(productInput(storefront.storefront_id))).body.product;
    await putItem({ pk: `PRODUCT#${sold.ecommerce_product_id}`, sk: "STATS", order_count: 1, total_quantity_sold: 2 });
    const refused = await hub.call("DELETE", `/api/ecommerce/products/${sold.ecommerce_product_id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("product_has_orders");
    expect((await hub.call("GET", `/api/ecommerce/products/${sold.ecommerce_product_id}`)).status).toBe(200);

    const input = productInput(storefront.storefront_id);
    const unsold = (await upsert(input)).body.product;
    const variant = (await hub.call("POST", `/api/ecommerce/products/${unsold.ecommerce_product_id}/variants`, { json: variantInput() })).body.variant;
    const deleted = await hub.call("DELETE", `/api/ecommerce/products/${unsold.ecommerce_product_id}`, { key: hub.keys.operator });
    expect(deleted.status).toBe(200);
    expect((await hub.call("GET", `/api/ecommerce/products/${unsold.ecommerce_product_id}`)).status).toBe(404);
    expect(await lookupItem(storefront.storefront_id, String(input.external_product_id))).toBeUndefined();
    expect(await item(`PRODUCT#${unsold.ecommerce_product_id}`, `VARIANT#${String(variant.variant_id).padStart(10, "0")}`)).toBeUndefined();
    const again = await upsert(input);
    expect(again.status).toBe(201);
    expect(again.body.product.ecommerce_product_id).not.toBe(unsold.ecommerce_product_id);
  });
});

describe("listing products", () => {
  interface Listed {
    ecommerce_product_id: number;
    product_name: string;
    storefront_name: string;
    order_count: number;
  }
  let main: { storefront_id: number; storefront_name: string };
  let side: { storefront_id: number; storefront_name: string };
  let laptops: number;
  const created: { id: number; sync_status: string; is_published: boolean; category: number | null; name: string; sku: string; inventory: number }[] = [];

  beforeAll(async () => {
    main = await hub.createStorefront();
    side = await hub.createStorefront();
    laptops = (await hub.call("POST", "/api/ecommerce/categories", { json: categoryInput(main.storefront_id, { category_name: "Laptops" }) })).body.category.ecommerce_category_id;
    const statuses = ["synced", "synced", "pending", "error", "conflict"];
    for (let index = 0; index < 12; index++) {
      const fields = {
        product_name: index % 4 === 0 ? `Ultrabook Model ${index}` : `Office Chair ${index}`,
        external_sku: `SKU-${index % 3 === 0 ? "LAP" : "CHR"}-${index}`,
        sync_status: statuses[index % statuses.length]!,
        is_published: index % 3 !== 0,
        ecommerce_category_id: index % 2 === 0 ? laptops : null,
        inventory_quantity: index * 3,
      };
      const product = (await upsert(productInput(main.storefront_id, fields))).body.product;
      created.push({ id: product.ecommerce_product_id, sync_status: fields.sync_status, is_published: fields.is_published, category: fields.ecommerce_category_id, name: fields.product_name, sku: fields.external_sku, inventory: fields.inventory_quantity });
    }
    for (let index = 0; index < 3; index++) await upsert(productInput(side.storefront_id, { sync_status: "synced", is_published: true, inventory_quantity: 7 }));
    await putItem({ pk: `PRODUCT#${created[1]!.id}`, sk: "STATS", order_count: 4, total_quantity_sold: 9 });
    await hub.drain();
  });

  const list = async (query: string, key?: string) => {
    const response = await hub.call("GET", `/api/ecommerce/products?${query}`, { key });
    expect(response.status, response.text).toBe(200);
    return response.body as { products: Listed[]; pagination: { page: number | null; limit: number; total: number | null; totalPages: number | null }; next_cursor: string | null; statistics: Record<string, number> };
  };
  const ids = (products: Listed[]) => products.map((product) => product.ecommerce_product_id);

  it("lists a storefront's products in id order with names, order counts and exact statistics", async () => {
    const page = await list(`storefront_id=${main.storefront_id}`);
    expect(ids(page.products)).toEqual(created.map((product) => product.id));
    expect(page.products.every((product) => product.storefront_name === main.storefront_name)).toBe(true);
    expect(page.products.find((product) => product.ecommerce_product_id === created[1]!.id)!.order_count).toBe(4);
    expect(page.pagination).toEqual({ page: 1, limit: 50, total: 12, totalPages: 1 });
    expect(page.next_cursor).toBeNull();
    const count = (predicate: (product: (typeof created)[number]) => boolean) => created.filter(predicate).length;
    const stock = (product: (typeof created)[number]) => (product.inventory <= 0 ? "out" : product.inventory <= 10 ? "low" : "in");
    expect(page.statistics).toEqual({
      total_products: 12,
      synced_count: count((product) => product.sync_status === "synced"),
      pending_count: count((product) => product.sync_status === "pending"),
      error_count: count((product) => product.sync_status === "error"),
      conflict_count: count((product) => product.sync_status === "conflict"),
      published_count: count((product) => product.is_published),
      total_inventory: created.reduce((sum, product) => sum + product.inventory, 0),
      low_stock_count: count((product) => stock(product) === "low"),
      out_of_stock_count: count((product) => stock(product) === "out"),
    });
  });

  it("filters by sync status, publication, category and search on name or SKU, with totals from the counters", async () => {
    const expectIds = (products: Listed[], predicate: (product: (typeof created)[number]) => boolean) =>
      expect(ids(products)).toEqual(created.filter(predicate).map((product) => product.id));

    const synced = await list(`storefront_id=${main.storefront_id}&sync_status=synced`);
    expectIds(synced.products, (product) => product.sync_status === "synced");
    expect(synced.pagination.total).toBe(synced.products.length);
    const unpublished = await list(`storefront_id=${main.storefront_id}&is_published=false`);
    expectIds(unpublished.products, (product) => !product.is_published);
    expect(unpublished.pagination.total).toBe(unpublished.products.length);
    const inCategory = await list(`storefront_id=${main.storefront_id}&category_id=${laptops}`);
    expectIds(inCategory.products, (product) => product.category === laptops);
    expect(inCategory.pagination.total).toBe(inCategory.products.length);
    const byName = await list(`storefront_id=${main.storefront_id}&search=ULTRABOOK`);
    expectIds(byName.products, (product) => product.name.startsWith("Ultrabook"));
    expect(byName.pagination).toMatchObject({ total: null, totalPages: null });
    const bySku = await list(`storefront_id=${main.storefront_id}&search=sku-lap`);
    expectIds(bySku.products, (product) => product.sku.includes("LAP"));
    const combined = await list(`storefront_id=${main.storefront_id}&sync_status=synced&is_published=true`);
    expectIds(combined.products, (product) => product.sync_status === "synced" && product.is_published);
    expect(combined.pagination.total).toBeNull();
    expect(combined.statistics.total_products).toBe(12);
  });

  it("pages with next_cursor, and with page numbers for compatibility", async () => {
    const walked: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`storefront_id=${main.storefront_id}&limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.products.length).toBeLessThanOrEqual(5);
      expect(page.pagination.page).toBe(cursor ? null : 1);
      walked.push(...ids(page.products));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    expect(walked).toEqual(created.map((product) => product.id));
    expect(pages).toBe(3);

    const numbered: number[] = [];
    for (const number of [1, 2, 3]) {
      const page = await list(`storefront_id=${main.storefront_id}&limit=5&page=${number}`);
      expect(page.pagination).toEqual({ page: number, limit: 5, total: 12, totalPages: 3 });
      numbered.push(...ids(page.products));
    }
    expect(numbered).toEqual(walked);
    expect((await list(`storefront_id=${main.storefront_id}&limit=5&page=4`)).products).toEqual([]);

    const filteredWalk: number[] = [];
    cursor = null;
    do {
      const page = await list(`storefront_id=${main.storefront_id}&is_published=true&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      filteredWalk.push(...ids(page.products));
      cursor = page.next_cursor;
    } while (cursor);
    expect(filteredWalk).toEqual(created.filter((product) => product.is_published).map((product) => product.id));
  });

  it("refuses deep pages, page combined with cursor, and cursors it did not issue", async () => {
    const deep = await hub.call("GET", `/api/ecommerce/products?storefront_id=${main.storefront_id}&limit=200&page=51`);
    expect(deep.status).toBe(400);
    expect(fieldsOf(deep)).toEqual(["query.page"]);
    const first = await list(`storefront_id=${main.storefront_id}&limit=5`);
    const both = await hub.call("GET", `/api/ecommerce/products?storefront_id=${main.storefront_id}&page=2&cursor=${first.next_cursor}`);
    expect(fieldsOf(both)).toEqual(["query.page"]);
    const foreignCursor = await hub.call("GET", `/api/ecommerce/products?storefront_id=${side.storefront_id}&cursor=${first.next_cursor}`);
    expect(foreignCursor.status).toBe(400);
    expect(foreignCursor.body.error.code).toBe("invalid_cursor");
  });

  it("lists across the storefronts a key may read, with their summed statistics", async () => {
    const scoped = await hub.issueKey("viewer", [main.storefront_id, side.storefront_id]);
    const walked: Listed[] = [];
    let cursor: string | null = null;
    let statistics: Record<string, number> | undefined;
    do {
      const page = await list(`limit=4${cursor ? `&cursor=${cursor}` : ""}`, scoped.token);
      walked.push(...page.products);
      statistics ??= page.statistics;
      cursor = page.next_cursor;
    } while (cursor);
    expect(walked.slice(0, 12).map((product) => product.ecommerce_product_id)).toEqual(created.map((product) => product.id));
    expect(walked.slice(12).map((product) => product.storefront_name)).toEqual([side.storefront_name, side.storefront_name, side.storefront_name]);
    expect(statistics).toMatchObject({ total_products: 15, total_inventory: created.reduce((sum, product) => sum + product.inventory, 0) + 21 });

    const onlySide = await hub.issueKey("viewer", [side.storefront_id]);
    const sidePage = await list("", onlySide.token);
    expect(sidePage.products.map((product) => product.storefront_name)).toEqual([side.storefront_name, side.storefront_name, side.storefront_name]);
    expect(sidePage.statistics.total_products).toBe(3);
    expect((await hub.call("GET", `/api/ecommerce/products?storefront_id=${main.storefront_id}`, { key: onlySide.token })).status).toBe(403);
  });
});

describe("roles and storefront-limited keys", () => {
  it("lets viewers read but not write, and keeps limited keys to their storefronts", async () => {
    const mine = await hub.createStorefront();
    const other = await hub.createStorefront();
    const product = (await upsert(productInput(other.storefront_id))).body.product;
    expect((await upsert(productInput(mine.storefront_id), hub.keys.viewer)).status).toBe(403);
    expect((await hub.call("GET", `/api/ecommerce/products/${product.ecommerce_product_id}`, { key: hub.keys.viewer })).status).toBe(200);

    const limited = await hub.issueKey("operator", [mine.storefront_id]);
    expect((await upsert(productInput(mine.storefront_id), limited.token)).status).toBe(201);
    const denied = await upsert(productInput(other.storefront_id), limited.token);
    expect(denied.status).toBe(403);
    expect((await hub.call("GET", `/api/ecommerce/products/${product.ecommerce_product_id}`, { key: limited.token })).status).toBe(403);
    expect((await hub.call("PUT", `/api/ecommerce/products/${product.ecommerce_product_id}`, { key: limited.token, json: { product_name: "x" } })).status).toBe(403);
    expect((await hub.call("DELETE", `/api/ecommerce/products/${product.ecommerce_product_id}`, { key: limited.token })).status).toBe(403);
  });
});

describe("bad input", () => {
  let storefront: { storefront_id: number };
  beforeAll(async () => {
    storefront = await hub.createStorefront();
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ["a negative price", { price: -1 }, ["body.price"]],
    ["a negative amount as text", { compare_at_price: "-0.01" }, ["body.compare_at_price"]],
    ["more decimals than the currency has", { price: "9.999" }, ["body.price"]],
    ["a negative quantity", { inventory_quantity: -3 }, ["body.inventory_quantity"]],
    ["a fractional quantity", { low_stock_threshold: 1.5 }, ["body.low_stock_threshold"]],
    ["an unknown sync status", { sync_status: "done" }, ["body.sync_status"]],
    ["an unknown sync direction and weight unit", { sync_direction: "sideways", weight_unit: "stone" }, ["body.sync_direction", "body.weight_unit"]],
    ["an oversized name", { product_name: "n".repeat(501) }, ["body.product_name"]],
    ["too many tags", { tags: Array.from({ length: 101 }, (_, index) => `t${index}`) }, ["body.tags"]],
    ["an oversized tag", { tags: ["x".repeat(101)] }, ["body.tags.0"]],
    ["too many images", { image_urls: Array.from({ length: 51 }, (_, index) => `https://cdn.example.com/${index}.jpg`) }, ["body.image_urls"]],
    ["oversized custom fields", { custom_fields: { blob: "x".repeat(17_000) } }, ["body.custom_fields"]],
    ["a missing name", { product_name: undefined }, ["body.product_name"]],
    ["an unknown storefront", { storefront_id: 99_999_999 }, ["body.storefront_id"]],
    ["an unknown category", { ecommerce_category_id: 99_999_999 }, ["body.ecommerce_category_id"]],
    ["an updated_at that is not a timestamp", { updated_at: "yesterday" }, ["body.updated_at"]],
  ];

  it.each(cases)("answers 400 naming the field for %s, and writes nothing", async (_case, overrides, fields) => {
    const input = productInput(storefront.storefront_id, overrides);
    const response = await upsert(input);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_error");
    expect(fieldsOf(response)).toEqual(fields);
    expect(await lookupItem(Number(input.storefront_id), String(input.external_product_id))).toBeUndefined();
  });

  it("answers 400 naming the field for a bad update, and leaves the product as it was", async () => {
    const product = (await upsert(productInput(storefront.storefront_id))).body.product;
    const before = await productItem(product.ecommerce_product_id);
    const response = await hub.call("PUT", `/api/ecommerce/products/${product.ecommerce_product_id}`, { json: { price: -5, inventory_quantity: -1, is_published: "yes" } });
    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(["body.inventory_quantity", "body.is_published", "body.price"]);
    expect(await productItem(product.ecommerce_product_id)).toEqual(before);
  });

  it("answers 400 for bad list parameters", async () => {
    const response = await hub.call("GET", "/api/ecommerce/products?sync_status=done&limit=0&is_published=maybe");
    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(["query.is_published", "query.limit", "query.sync_status"]);
    const unknown = await hub.call("GET", "/api/ecommerce/products?storefront_id=99999999");
    expect(fieldsOf(unknown)).toEqual(["query.storefront_id"]);
  });
});
