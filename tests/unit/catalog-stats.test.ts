import { describe, expect, it } from "vitest";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { catalogContribution, catalogDeltas, stockStatus, type CountedProduct } from "../../shared/domain/catalog-stats";
import { productCounterEffect } from "../../shared/streams/catalog-counters";
import { mergeUpdates } from "../../shared/streams/apply-once";
import { failuresFrom } from "../../shared/streams/batch";

const product = (overrides: Partial<CountedProduct> = {}): CountedProduct => ({
  storefront_id: 1,
  sync_status: "synced",
  is_published: true,
  inventory_quantity: 25,
  inventory_tracked: true,
  low_stock_threshold: 10,
  ecommerce_category_id: null,
  ...overrides,
});

describe("stock status", () => {
  it("is out at zero or below, low at or under the threshold, in stock above it", () => {
    expect(stockStatus(product({ inventory_quantity: 0 }))).toBe("out_of_stock");
    expect(stockStatus(product({ inventory_quantity: -2 }))).toBe("out_of_stock");
    expect(stockStatus(product({ inventory_quantity: 10 }))).toBe("low_stock");
    expect(stockStatus(product({ inventory_quantity: 1, low_stock_threshold: 0 }))).toBe("in_stock");
    expect(stockStatus(product({ inventory_quantity: 11 }))).toBe("in_stock");
  });

  it("never runs out for untracked inventory", () => {
    expect(stockStatus(product({ inventory_quantity: 0, inventory_tracked: false }))).toBe("in_stock");
  });
});

describe("counter contributions and deltas", () => {
  it("counts a product once, under its sync status, publication and stock", () => {
    expect(catalogContribution(product({ sync_status: "error", is_published: false, inventory_quantity: 3 }))).toEqual({
      product_count: 1,
      synced_count: 0,
      pending_count: 0,
      error_count: 1,
      conflict_count: 0,
      published_count: 0,
      total_inventory: 3,
      low_stock_count: 1,
      out_of_stock_count: 0,
    });
  });

  it("adds a new product and removes a deleted one", () => {
    const created = catalogDeltas(undefined, product({ ecommerce_category_id: 4 }));
    expect(created.storefronts.get(1)).toEqual({ product_count: 1, synced_count: 1, published_count: 1, total_inventory: 25 });
    expect(created.categories).toEqual(new Map([[4, 1]]));
    const removed = catalogDeltas(product({ ecommerce_category_id: 4, inventory_quantity: 0 }), undefined);
    expect(removed.storefronts.get(1)).toEqual({ product_count: -1, synced_count: -1, published_count: -1, out_of_stock_count: -1 });
    expect(removed.categories).toEqual(new Map([[4, -1]]));
  });

  it("moves a changed product between counters and categories, and leaves out what did not change", () => {
    const moved = catalogDeltas(product({ ecommerce_category_id: 4 }), product({ sync_status: "pending", inventory_quantity: 5, ecommerce_category_id: 9 }));
    expect(moved.storefronts.get(1)).toEqual({ synced_count: -1, pending_count: 1, total_inventory: -20, low_stock_count: 1 });
    expect(moved.categories).toEqual(new Map([[4, -1], [9, 1]]));
    const untouched = catalogDeltas(product({ ecommerce_category_id: 4 }), product({ ecommerce_category_id: 4 }));
    expect(untouched.storefronts.size).toBe(0);
    expect(untouched.categories.size).toBe(0);
  });
});

describe("the counters' stream effects", () => {
  const record = (eventName: "INSERT" | "MODIFY" | "REMOVE", before?: object, after?: object): DynamoDBRecord => ({
    eventID: `event-${eventName}`,
    eventName,
    dynamodb: {
      Keys: marshall({ pk: "PRODUCT#7", sk: "PRODUCT" }) as never,
      OldImage: before ? (marshall(before, { removeUndefinedValues: true }) as never) : undefined,
      NewImage: after ? (marshall(after, { removeUndefinedValues: true }) as never) : undefined,
      SequenceNumber: "100",
    },
  });

  it("turns a product record's images into ADDs on the storefront's and the categories' counters", () => {
    const effect = productCounterEffect(record("MODIFY", { ...product({ ecommerce_category_id: 2 }), pk: "PRODUCT#7" }, { ...product({ is_published: false, ecommerce_category_id: 3 }), pk: "PRODUCT#7" }));
    expect(effect).toEqual({
      eventId: "event-MODIFY",
      updates: [
        { key: { pk: "STOREFRONT#1", sk: "STATS#CATALOG" }, add: { published_count: -1 } },
        { key: { pk: "CATEGORY#2", sk: "STATS" }, add: { product_count: -1 } },
        { key: { pk: "CATEGORY#3", sk: "STATS" }, add: { product_count: 1 } },
      ],
    });
    expect(productCounterEffect(record("MODIFY", product(), { ...product(), product_name: "renamed" })).updates).toEqual([]);
  });

  it("sums the updates of a group per counter item and drops what cancels out", () => {
    const key = { pk: "STOREFRONT#1", sk: "STATS#CATALOG" };
    const other = { pk: "CATEGORY#2", sk: "STATS" };
    expect(
      mergeUpdates([
        { key, add: { product_count: 1, total_inventory: 5 } },
        { key: other, add: { product_count: 1 } },
        { key, add: { product_count: -1, total_inventory: 2 } },
        { key: other, add: { product_count: -1 } },
      ]),
    ).toEqual([{ key, add: { total_inventory: 7 } }]);
  });

  it("reports the failed record and every later one, so that Lambda retries from there", () => {
    const records = ["1", "2", "3"].map((sequence) => ({ dynamodb: { SequenceNumber: sequence } }) as DynamoDBRecord);
    expect(failuresFrom(records, 1)).toEqual({ batchItemFailures: [{ itemIdentifier: "2" }, { itemIdentifier: "3" }] });
    expect(failuresFrom(records, undefined)).toEqual({ batchItemFailures: [] });
  });
});
