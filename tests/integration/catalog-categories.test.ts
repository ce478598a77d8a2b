import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/test-stack";
import { categoryInput, productInput } from "../support/catalog-factories";

let hub: TestStack;

beforeAll(async () => {
  hub = await startTestStack();
});
afterAll(async () => {
  await hub?.stop();
});

async function newStorefront(): Promise<number> {
  return (await hub.createStorefront()).storefront_id;
}

interface Category {
  ecommerce_category_id: number;
  external_category_id: string;
  category_path: string;
  product_count: number;
}

async function createCategory(storefrontId: number, overrides: Record<string, unknown>): Promise<Category> {
  const response = await hub.call("POST", "/api/ecommerce/categories", { json: categoryInput(storefrontId, overrides), key: hub.keys.operator });
  expect(response.status, response.text).toBe(201);
  return response.body.category;
}

async function readCategory(id: number): Promise<Category> {
  const response = await hub.call("GET", `/api/ecommerce/categories/${id}`, { key: hub.keys.viewer });
  expect(response.status).toBe(200);
  return response.body.category;
}

/**
 * A path change walks down the tree one level per stream record; each drain
 * round handles what was written before it began, so a few rounds cover the
 * depth of the trees here.
 */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await hub.drain();
}

const pathOf = async (category: Category) => (await readCategory(category.ecommerce_category_id)).category_path;

describe("category hierarchy", () => {
  it("builds paths from the parent chain and keeps descendants' paths through renames and moves", async () => {
    const storefrontId = await newStorefront();
    const electronics = await createCategory(storefrontId, { external_category_id: "el", category_name: "Electronics", erp_category_id: 7 });
    const laptops = await createCategory(storefrontId, { external_category_id: "lap", external_parent_id: "el", category_name: "Laptops" });
    const gaming = await createCategory(storefrontId, { external_category_id: "gam", external_parent_id: "lap", category_name: "Gaming" });
    expect(electronics).toMatchObject({ category_path: "Electronics", erp_category_id: 7, sync_status: "pending", product_count: 0 });
    expect(laptops.category_path).toBe("Electronics > Laptops");
    expect(gaming.category_path).toBe("Electronics > Laptops > Gaming");

    const renamed = await hub.call("PUT", `/api/ecommerce/categories/${electronics.ecommerce_category_id}`, { json: { category_name: "Tech", sync_status: "synced" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.category).toMatchObject({ category_name: "Tech", category_path: "Tech", sync_status: "synced" });
    await settle();
    expect(await pathOf(laptops)).toBe("Tech > Laptops");
    expect(await pathOf(gaming)).toBe("Tech > Laptops > Gaming");

    const office = await createCategory(storefrontId, { external_category_id: "off", category_name: "Office" });
    const moved = await hub.call("PUT", `/api/ecommerce/categories/${laptops.ecommerce_category_id}`, { json: { external_parent_id: "off" } });
    expect(moved.body.category.category_path).toBe("Office > Laptops");
    await settle();
    expect(await pathOf(gaming)).toBe("Office > Laptops > Gaming");
    expect(await pathOf(office)).toBe("Office");

    const toRoot = await hub.call("PUT", `/api/ecommerce/categories/${laptops.ecommerce_category_id}`, { json: { external_parent_id: null } });
    expect(toRoot.body.category.category_path).toBe("Laptops");
    await settle();
    expect(await pathOf(gaming)).toBe("Laptops > Gaming");
  });

  it("fixes the paths of children that arrived before their parent", async () => {
    const storefrontId = await newStorefront();
    const chairs = await createCategory(storefrontId, { external_category_id: "chairs", external_parent_id: "furniture", category_name: "Chairs" });
    expect(chairs.category_path).toBe("Chairs");
    await createCategory(storefrontId, { external_category_id: "furniture", category_name: "Furniture" });
    await settle();
    expect(await pathOf(chairs)).toBe("Furniture > Chairs");
  });

  it("refuses a parent that would make a cycle, and a category as its own parent", async () => {
    const storefrontId = await newStorefront();
    const a = await createCategory(storefrontId, { external_category_id: "a", category_name: "A" });
    await createCategory(storefrontId, { external_category_id: "b", external_parent_id: "a", category_name: "B" });
    const cycle = await hub.call("PUT", `/api/ecommerce/categories/${a.ecommerce_category_id}`, { json: { external_parent_id: "b" } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details).toEqual([{ field: "body.external_parent_id", message: "would make the category its own ancestor" }]);
    const own = await hub.call("PUT", `/api/ecommerce/categories/${a.ecommerce_category_id}`, { json: { external_parent_id: "a" } });
    expect(own.status).toBe(400);
    const orphanCycle = await createCategory(storefrontId, { external_category_id: "x", external_parent_id: "y", category_name: "X" });
    expect(orphanCycle.category_path).toBe("X");
    const closing = await hub.call("POST", "/api/ecommerce/categories", { json: categoryInput(storefrontId, { external_category_id: "y", external_parent_id: "x", category_name: "Y" }) });
    expect(closing.status).toBe(400);
    expect(await pathOf(a)).toBe("A");
  });

  it("refuses a second category with the same external id in a storefront", async () => {
    const storefrontId = await newStorefront();
    await createCategory(storefrontId, { external_category_id: "dup" });
    const again = await hub.call("POST", "/api/ecommerce/categories", { json: categoryInput(storefrontId, { external_category_id: "dup" }) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("duplicate_external_category_id");
    await createCategory(await newStorefront(), { external_category_id: "dup" });
  });
});

describe("products per category", () => {
  it("counts products per category through creates, moves and deletes", async () => {
    const storefrontId = await newStorefront();
    const desks = await createCategory(storefrontId, { category_name: "Desks" });
    const chairs = await createCategory(storefrontId, { category_name: "Chairs" });
    const upsert = async (category: Category | null) =>
      (await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId, { ecommerce_category_id: category?.ecommerce_category_id ?? null }) })).body.product
        .ecommerce_product_id as number;
    const inDesks = [await upsert(desks), await upsert(desks), await upsert(desks)];
    await upsert(chairs);
    const loose = await upsert(null);
    await settle();
    expect((await readCategory(desks.ecommerce_category_id)).product_count).toBe(3);
    expect((await readCategory(chairs.ecommerce_category_id)).product_count).toBe(1);

    await hub.call("PUT", `/api/ecommerce/products/${inDesks[0]}`, { json: { ecommerce_category_id: chairs.ecommerce_category_id } });
    await hub.call("PUT", `/api/ecommerce/products/${inDesks[1]}`, { json: { ecommerce_category_id: null } });
    await hub.call("PUT", `/api/ecommerce/products/${loose}`, { json: { ecommerce_category_id: desks.ecommerce_category_id } });
    await hub.call("DELETE", `/api/ecommerce/products/${inDesks[2]}`);
    await settle();
    const listed = await hub.call("GET", `/api/ecommerce/categories?storefront_id=${storefrontId}`);
    const counts = Object.fromEntries(listed.body.categories.map((category: Category) => [category.ecommerce_category_id, category.product_count]));
    expect(counts).toEqual({ [desks.ecommerce_category_id]: 1, [chairs.ecommerce_category_id]: 2 });
  });
});

describe("category routes", () => {
  it("lists a storefront's categories page by page", async () => {
    const storefrontId = await newStorefront();
    const created: number[] = [];
    for (let index = 0; index < 5; index++) created.push((await createCategory(storefrontId, {})).ecommerce_category_id);
    await createCategory(await newStorefront(), {});
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { categories: Category[]; next_cursor: string | null } } = await hub.call(
        "GET",
        `/api/ecommerce/categories?storefront_id=${storefrontId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.categories.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.categories.map((category) => category.ecommerce_category_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(created);
  });

  it("deletes a category only without children or products", async () => {
    const storefrontId = await newStorefront();
    const parent = await createCategory(storefrontId, { external_category_id: "p" });
    const child = await createCategory(storefrontId, { external_parent_id: "p" });
    const withChildren = await hub.call("DELETE", `/api/ecommerce/categories/${parent.ecommerce_category_id}`);
    expect(withChildren.status).toBe(409);
    expect(withChildren.body.error.code).toBe("category_has_children");

    const product = (await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId, { ecommerce_category_id: child.ecommerce_category_id }) })).body.product;
    await settle();
    const withProducts = await hub.call("DELETE", `/api/ecommerce/categories/${child.ecommerce_category_id}`);
    expect(withProducts.status).toBe(409);
    expect(withProducts.body.error.code).toBe("category_in_use");

    await hub.call("PUT", `/api/ecommerce/products/${product.ecommerce_product_id}`, { json: { ecommerce_category_id: null } });
    await settle();
    expect((await hub.call("DELETE", `/api/ecommerce/categories/${child.ecommerce_category_id}`, { key: hub.keys.operator })).status).toBe(200);
    expect((await hub.call("GET", `/api/ecommerce/categories/${child.ecommerce_category_id}`)).status).toBe(404);
    expect((await hub.call("DELETE", `/api/ecommerce/categories/${parent.ecommerce_category_id}`)).status).toBe(200);
    await createCategory(storefrontId, { external_category_id: "p" });
  });

  it("answers 404, 403 and 400 where due", async () => {
    const storefrontId = await newStorefront();
    const category = await createCategory(storefrontId, {});
    expect((await hub.call("GET", "/api/ecommerce/categories/99999999")).status).toBe(404);
    expect((await hub.call("PUT", `/api/ecommerce/categories/${category.ecommerce_category_id}`, { json: { category_name: "x" }, key: hub.keys.viewer })).status).toBe(403);
    const elsewhere = await hub.issueKey("operator", [storefrontId + 1000]);
    expect((await hub.call("GET", `/api/ecommerce/categories/${category.ecommerce_category_id}`, { key: elsewhere.token })).status).toBe(403);
    expect((await hub.call("GET", `/api/ecommerce/categories?storefront_id=${storefrontId}`, { key: elsewhere.token })).status).toBe(403);

    const bad = await hub.call("POST", "/api/ecommerce/categories", {
      json: categoryInput(storefrontId, { category_name: "c".repeat(256), sync_status: "conflict", erp_category_id: -1 }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((issue: { field: string }) => issue.field).sort()).toEqual(["body.category_name", "body.erp_category_id", "body.sync_status"]);
    const unknownStorefront = await hub.call("POST", "/api/ecommerce/categories", { json: categoryInput(99_999_999) });
    expect(unknownStorefront.body.error.details).toEqual([expect.objectContaining({ field: "body.storefront_id" })]);
    const listed = await hub.call("GET", `/api/ecommerce/categories?storefront_id=${storefrontId}`);
    expect(listed.body.categories).toHaveLength(1);
    expect((await hub.call("GET", "/api/ecommerce/categories")).status).toBe(400);
  });
});
