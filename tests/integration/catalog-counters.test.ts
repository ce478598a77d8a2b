/**
 * The catalog counters under at-least-once delivery. The local stack runs
 * every function of the wiring except the catalog-counters processor, whose
 * batches are only captured; the test then hands those real batches to the
 * real processor, once, twice, and cut into other batches.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { functions, queues } from "../../infra/wiring";
import { handler as catalogCounters } from "../../functions/streams/catalog-counters";
import { capturedBatches } from "../support/catalog-stream-capture";
import { startTestStack, type TestStack } from "../support/test-stack";
import { categoryInput, productInput, variantInput } from "../support/catalog-factories";

let hub: TestStack;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  const wiring = {
    functions: functions.map((fn) => (fn.name === "catalog-counters" ? { ...fn, entry: "tests/support/catalog-stream-capture.ts" } : fn)),
    queues,
  };
  hub = await startTestStack({ wiring });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject("endpoints").dynamodb }));
});
afterAll(async () => {
  doc?.destroy();
  await hub?.stop();
});

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return {
    int: (max: number) => Math.floor(next() * max),
    pick: <T,>(values: readonly T[]) => values[Math.floor(next() * values.length)]!,
    chance: (probability: number) => next() < probability,
  };
}

/** What the test wrote for one product: the fields the counters depend on. */
interface Written {
  storefront_id: number;
  product_id: number;
  sync_status: string;
  is_published: boolean;
  inventory_quantity: number;
  inventory_tracked: boolean;
  low_stock_threshold: number;
  ecommerce_category_id: number | null;
}

/** The counters, computed from what was written, without the hub's code. */
function expectedCounters(products: Written[]) {
  const stock = (product: Written) =>
    !product.inventory_tracked ? "in" : product.inventory_quantity <= 0 ? "out" : product.inventory_quantity <= product.low_stock_threshold ? "low" : "in";
  const count = (predicate: (product: Written) => boolean) => products.filter(predicate).length;
  return {
    product_count: products.length,
    synced_count: count((product) => product.sync_status === "synced"),
    pending_count: count((product) => product.sync_status === "pending"),
    error_count: count((product) => product.sync_status === "error"),
    conflict_count: count((product) => product.sync_status === "conflict"),
    published_count: count((product) => product.is_published),
    total_inventory: products.reduce((sum, product) => sum + product.inventory_quantity, 0),
    low_stock_count: count((product) => stock(product) === "low"),
    out_of_stock_count: count((product) => stock(product) === "out"),
  };
}

async function storedCounters(storefrontId: number) {
  const { Item } = await doc.send(new GetCommand({ TableName: hub.table.tableName, Key: { pk: `STOREFRONT#${storefrontId}`, sk: "STATS#CATALOG" }, ConsistentRead: true }));
  const { pk: _pk, sk: _sk, ...counters } = Item ?? {};
  const zeros = expectedCounters([]);
  return Object.fromEntries(Object.keys(zeros).map((name) => [name, Number(counters[name] ?? 0)])) as typeof zeros;
}

async function storedCategoryCount(categoryId: number): Promise<number> {
  const { Item } = await doc.send(new GetCommand({ TableName: hub.table.tableName, Key: { pk: `CATEGORY#${categoryId}`, sk: "STATS" }, ConsistentRead: true }));
  return Number(Item?.product_count ?? 0);
}

async function deliver(records: DynamoDBRecord[], batchSize: number): Promise<void> {
  for (let start = 0; start < records.length; start += batchSize) {
    const response = await catalogCounters({ Records: structuredClone(records.slice(start, start + batchSize)) });
    expect(response.batchItemFailures).toEqual([]);
  }
}

describe("catalog counters", () => {
  const storefronts: number[] = [];
  const categories = new Map<number, number[]>();
  const written = new Map<string, Written>();

  beforeAll(async () => {
    const rng = random(20_241_204);
    for (let index = 0; index < 2; index++) {
      const storefrontId = (await hub.createStorefront()).storefront_id as number;
      storefronts.push(storefrontId);
      const ids: number[] = [];
      for (let category = 0; category < 2; category++) {
        ids.push((await hub.call("POST", "/api/ecommerce/categories", { json: categoryInput(storefrontId) })).body.category.ecommerce_category_id);
      }
      categories.set(storefrontId, ids);
    }
    const externalIds = Array.from({ length: 40 }, (_, index) => `ext-${index}`);

    const randomUpsert = async (externalId: string) => {
      const storefrontId = storefronts[Number(externalId.split("-")[1]) % storefronts.length]!;
      const current = written.get(externalId);
      const fields = {
        sync_status: rng.pick(["pending", "synced", "error", "conflict"] as const),
        is_published: rng.chance(0.6),
        inventory_quantity: rng.int(30),
        inventory_tracked: rng.chance(0.8),
        low_stock_threshold: rng.int(15),
        ecommerce_category_id: rng.chance(0.3) ? null : rng.pick(categories.get(storefrontId)!),
      };
      const response = await hub.call("POST", "/api/ecommerce/products", { json: productInput(storefrontId, { external_product_id: externalId, ...fields }) });
      expect(response.status, response.text).toBe(current ? 200 : 201);
      written.set(externalId, { storefront_id: storefrontId, product_id: response.body.product.ecommerce_product_id, ...fields });
    };
    const randomChange = async (externalId: string) => {
      const current = written.get(externalId);
      if (!current) return randomUpsert(externalId);
      if (rng.chance(0.3)) {
        expect((await hub.call("DELETE", `/api/ecommerce/products/${current.product_id}`)).status).toBe(200);
        written.delete(externalId);
        return;
      }
      const change = { sync_status: rng.pick(["pending", "synced", "error"] as const), inventory_quantity: rng.int(12) };
      expect((await hub.call("PUT", `/api/ecommerce/products/${current.product_id}`, { json: change })).status).toBe(200);
      written.set(externalId, { ...current, ...change });
    };

    for (let round = 0; round < 20; round++) {
      // Distinct products within a round, so that what the test wrote last is what the hub holds.
      const chosen = [...new Set(Array.from({ length: 8 }, () => rng.pick(externalIds)))];
      await Promise.all(chosen.map((externalId) => (rng.chance(0.75) ? randomUpsert(externalId) : randomChange(externalId))));
    }
    // Variants take over a product's inventory: it becomes the sum of theirs.
    for (const externalId of [...written.keys()].slice(0, 3)) {
      const product = written.get(externalId)!;
      let sum = 0;
      for (const quantity of [4, 9]) {
        const response = await hub.call("POST", `/api/ecommerce/products/${product.product_id}/variants`, { json: variantInput({ inventory_quantity: quantity }) });
        expect(response.status).toBe(201);
        sum += quantity;
      }
      written.set(externalId, { ...product, inventory_quantity: sum });
    }
    await hub.drain();
  });

  const productsOf = (storefrontId: number) => [...written.values()].filter((product) => product.storefront_id === storefrontId);
  const capturedRecords = () => capturedBatches.flatMap((batch) => batch.Records);

  async function snapshot() {
    const counters = await Promise.all(storefronts.map(storedCounters));
    const categoryCounts = await Promise.all([...categories.values()].flat().map(storedCategoryCount));
    return { counters, categoryCounts };
  }

  it("leaves the counters alone until the captured batches are delivered", async () => {
    expect(capturedRecords().length).toBeGreaterThan(100);
    expect(capturedRecords().every((record) => record.dynamodb?.Keys?.sk?.S === "PRODUCT")).toBe(true);
    for (const storefrontId of storefronts) expect((await storedCounters(storefrontId)).product_count).toBe(0);
  });

  it("are exact after the stream batches are processed, and unchanged when the same batches are delivered again", async () => {
    for (const batch of capturedBatches) {
      const response = await catalogCounters(structuredClone(batch));
      expect(response.batchItemFailures).toEqual([]);
    }
    for (const storefrontId of storefronts) expect(await storedCounters(storefrontId)).toEqual(expectedCounters(productsOf(storefrontId)));
    for (const [storefrontId, ids] of categories) {
      for (const categoryId of ids) {
        expect(await storedCategoryCount(categoryId)).toBe(productsOf(storefrontId).filter((product) => product.ecommerce_category_id === categoryId).length);
      }
    }
    const applied = await snapshot();

    for (const batch of capturedBatches) {
      const response = await catalogCounters(structuredClone(batch));
      expect(response.batchItemFailures).toEqual([]);
    }
    expect(await snapshot()).toEqual(applied);

    // The same records again, cut into other batches: a retry after a partial failure, or a replay from an older position.
    await deliver(capturedRecords(), 7);
    await deliver(capturedRecords().slice(capturedRecords().length / 2), 100);
    expect(await snapshot()).toEqual(applied);
  });

  it("applies records it has not seen even when they share a batch with records it has", async () => {
    const records = capturedRecords();
    const { Item } = await doc.send(
      new GetCommand({ TableName: hub.table.tableName, Key: { pk: `APPLIED#catalog-counters#${records[0]!.eventID}`, sk: "APPLIED" }, ConsistentRead: true }),
    );
    expect(Item?.expires_at).toBeGreaterThan(Date.now() / 1000);

    const product = [...written.values()].find((each) => each.inventory_quantity > 0)!;
    const storefrontBefore = await storedCounters(product.storefront_id);
    capturedBatches.length = 0;
    await hub.call("PUT", `/api/ecommerce/products/${product.product_id}`, { json: { is_published: !product.is_published } });
    await hub.drain();
    const fresh = capturedRecords();
    expect(fresh).toHaveLength(1);
    await deliver([...records.slice(-20), ...fresh], 100);
    await deliver([...records.slice(-20), ...fresh], 100);
    expect((await storedCounters(product.storefront_id)).published_count).toBe(storefrontBefore.published_count + (product.is_published ? -1 : 1));
  });
});
