import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { startTestStack, type TestStack } from "../support/test-stack";
import { productInput, variantInput } from "../support/catalog-factories";

let hub: TestStack;
let doc: DynamoDBDocumentClient;
let storefrontId: number;

beforeAll(async () => {
  hub = await startTestStack();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
  storefrontId = (await hub.createStorefront()).storefront_id;
});
afterAll(async () => {
  doc?.destroy();
  await hub?.stop();
});

async function newProduct(overrides: Record<string, unknown> = {}): Promise<number> {
  const response = await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId, overrides) });
  expect(response.status).toBe(201);
  return response.body.product.ecommerce_product_id;
}

const variantsPath = (productId: number) => `/api/ecommerce/products/${productId}/variants`;

async function createVariant(productId: number, overrides: Record<string, unknown> = {}) {
  const response = await hub.call("POST", variantsPath(productId), { json: variantInput(overrides), key: hub.keys.operator });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/** Every item of the product's partition, straight from the table. */
async function partition(productId: number) {
  const { Items = [] } = await doc.send(
    new QueryCommand({ TableName: hub.table.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `PRODUCT#${productId}` }, ConsistentRead: true }),
  );
  return Items;
}

/** The product's inventory and variant count against the sum and number of its variants, as stored. */
async function consistency(productId: number) {
  const items = await partition(productId);
  const product = items.find((item) => item.sk === "PRODUCT")!;
  const variants = items.filter((item) => String(item.sk).startsWith("VARIANT#"));
  return {
    inventory: product.inventory_quantity,
    variantCount: product.variant_count,
    sum: variants.reduce((total, variant) => total + Number(variant.inventory_quantity), 0),
    number: variants.length,
  };
}

describe("product variants", () => {
  it("creates, lists, updates and deletes variants, keeping the product's inventory the sum of theirs", async () => {
    const productId = await newProduct({ inventory_quantity: 40, price: 25 });

    const small = await createVariant(productId, { inventory_quantity: 5, price: undefined });
    expect(small).toMatchObject({ message: "Variant created successfully", product_inventory_quantity: 5, variant_count: 1 });
    expect(small.variant).toMatchObject({ variant_name: "Small / Red", option1_name: "Size", option1_value: "Small", price: "25.00", inventory_quantity: 5, is_available: true });
    expect(await consistency(productId)).toEqual({ inventory: 5, variantCount: 1, sum: 5, number: 1 });

    const large = await createVariant(productId, { option1_value: "Large", inventory_quantity: 12, price: "27.50", barcode: "0123456789012" });
    expect(large).toMatchObject({ product_inventory_quantity: 17, variant_count: 2 });
    expect(await consistency(productId)).toEqual({ inventory: 17, variantCount: 2, sum: 17, number: 2 });

    const listed = await hub.call("GET", variantsPath(productId), { key: hub.keys.viewer });
    expect(listed.status).toBe(200);
    expect(listed.body.variants.map((variant: { variant_id: number }) => variant.variant_id)).toEqual([small.variant.variant_id, large.variant.variant_id]);
    expect(listed.body.variants[1]).toMatchObject({ variant_name: "Large / Red", price: "27.50", barcode: "0123456789012" });

    const updated = await hub.call("PUT", `${variantsPath(productId)}/${large.variant.variant_id}`, { json: { inventory_quantity: 2, is_available: false } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ product_inventory_quantity: 7, variant_count: 2, variant: { inventory_quantity: 2, is_available: false } });
    expect(await consistency(productId)).toEqual({ inventory: 7, variantCount: 2, sum: 7, number: 2 });

    expect((await hub.call("DELETE", `${variantsPath(productId)}/${small.variant.variant_id}`)).status).toBe(200);
    expect(await consistency(productId)).toEqual({ inventory: 2, variantCount: 1, sum: 2, number: 1 });
    expect((await hub.call("DELETE", `${variantsPath(productId)}/${large.variant.variant_id}`)).status).toBe(200);
    expect(await consistency(productId)).toEqual({ inventory: 0, variantCount: 0, sum: 0, number: 0 });
    expect((await hub.call("DELETE", `${variantsPath(productId)}/${large.variant.variant_id}`)).status).toBe(404);
  });

  it("stays consistent under concurrent variant writes", async () => {
    const productId = await newProduct({ inventory_quantity: 100 });
    const created = await Promise.all(Array.from({ length: 8 }, (_, index) => createVariant(productId, { option1_value: `S${index}`, inventory_quantity: index + 1 })));
    expect(await consistency(productId)).toEqual({ inventory: 36, variantCount: 8, sum: 36, number: 8 });
    await Promise.all(
      created.map((each, index) =>
        index % 2 === 0
          ? hub.call("PUT", `${variantsPath(productId)}/${each.variant.variant_id}`, { json: { inventory_quantity: 10 } })
          : hub.call("DELETE", `${variantsPath(productId)}/${each.variant.variant_id}`),
      ),
    );
    expect(await consistency(productId)).toEqual({ inventory: 40, variantCount: 4, sum: 40, number: 4 });
  });

  it("refuses to set the inventory of a product with variants directly, but accepts repeating it", async () => {
    const productId = await newProduct();
    await createVariant(productId, { inventory_quantity: 9 });
    const refused = await hub.call("PUT", `/api/ecommerce/products/${productId}`, { json: { inventory_quantity: 50 } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("inventory_managed_by_variants");
    expect((await hub.call("PUT", `/api/ecommerce/products/${productId}`, { json: { inventory_quantity: 9, product_name: "Same stock" } })).status).toBe(200);
    expect(await consistency(productId)).toEqual({ inventory: 9, variantCount: 1, sum: 9, number: 1 });
  });

  it("accepts options as a list, and keeps external variant ids unique within the product", async () => {
    const productId = await newProduct();
    const listed = await hub.call("POST", variantsPath(productId), {
      json: { external_variant_id: "v-1", options: [{ name: "Size", value: "M" }, { name: "Color", value: "Blue" }, { name: "Material", value: "Cotton" }] },
    });
    expect(listed.status).toBe(201);
    expect(listed.body.variant).toMatchObject({ variant_name: "M / Blue / Cotton", option3_name: "Material", option3_value: "Cotton", external_variant_id: "v-1" });
    const duplicate = await hub.call("POST", variantsPath(productId), { json: variantInput({ external_variant_id: "v-1" }) });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("duplicate_external_variant_id");
    expect(await consistency(productId)).toMatchObject({ variantCount: 1, number: 1 });
  });

  it("answers 404 for an unknown product or variant", async () => {
    expect((await hub.call("GET", variantsPath(99_999_999))).status).toBe(404);
    expect((await hub.call("POST", variantsPath(99_999_999), { json: variantInput() })).status).toBe(404);
    const productId = await newProduct();
    expect((await hub.call("PUT", `${variantsPath(productId)}/99999999`, { json: { barcode: "1" } })).status).toBe(404);
  });

  it("keeps viewers and other storefronts' keys out", async () => {
    const productId = await newProduct();
    expect((await hub.call("POST", variantsPath(productId), { json: variantInput(), key: hub.keys.viewer })).status).toBe(403);
    const elsewhere = await hub.issueKey("operator", [storefrontId + 1000]);
    expect((await hub.call("GET", variantsPath(productId), { key: elsewhere.token })).status).toBe(403);
    expect((await hub.call("POST", variantsPath(productId), { json: variantInput(), key: elsewhere.token })).status).toBe(403);
  });
});

describe("bad variant input", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["a fourth option", { option4_name: "Style", option4_value: "Slim" }, ["body.option4_name", "body.option4_value"]],
    ["more than three options in a list", { option1_name: undefined, option1_value: undefined, option2_name: undefined, option2_value: undefined, options: [1, 2, 3, 4].map((n) => ({ name: `N${n}`, value: `V${n}` })) }, ["body.options"]],
    ["options together with option fields", { options: [{ name: "Size", value: "S" }] }, ["body.options"]],
    ["an option value without its name", { option1_name: null }, ["body.option1_name"]],
    ["a negative price", { price: -2 }, ["body.price"]],
    ["a negative quantity", { inventory_quantity: -1 }, ["body.inventory_quantity"]],
    ["an unknown sync status", { sync_status: "finished" }, ["body.sync_status"]],
    ["an oversized barcode", { barcode: "1".repeat(101) }, ["body.barcode"]],
    ["more decimals than the currency has", { price: "1.001" }, ["body.price"]],
  ];

  it.each(cases)("answers 400 naming the field for %s, and writes nothing", async (_case, overrides, fields) => {
    const productId = await newProduct({ inventory_quantity: 11 });
    const before = await partition(productId);
    const response = await hub.call("POST", variantsPath(productId), { json: variantInput(overrides) });
    expect(response.status, response.text).toBe(400);
    expect(response.body.error.details.map((issue: { field: string }) => issue.field).sort()).toEqual(fields);
    expect(await partition(productId)).toEqual(before);
  });
});
