import { describe, expect, it } from "vitest";
import { listingChangesOf, skuListedBy } from "../../shared/stock/listing";
import { recordStockOrigin } from "../../shared/domain/stock-origin";
import type { Principal } from "../../shared/domain/roles";

const product = (fields: Record<string, unknown> = {}) => ({ pk: "PRODUCT#1", sk: "PRODUCT", ecommerce_product_id: 1, storefront_id: 3, erp_sku: "DESK", external_sku: "D-1", variant_count: 0, inventory_tracked: true, inventory_quantity: 10, ...fields });
const variant = (fields: Record<string, unknown> = {}) => ({ pk: "PRODUCT#1", sk: "VARIANT#0000000007", ecommerce_product_id: 1, variant_id: 7, sku: "DESK-OAK", inventory_tracked: true, inventory_quantity: 4, ...fields });

describe("what a product or variant lists", () => {
  it("a product without variants lists its erp_sku, else its external_sku; a variant its sku", () => {
    expect(skuListedBy(product())).toBe("DESK");
    expect(skuListedBy(product({ erp_sku: null }))).toBe("D-1");
    expect(skuListedBy(variant())).toBe("DESK-OAK");
  });

  it("nothing when untracked, without a SKU, or a product whose stock is its variants'", () => {
    expect(skuListedBy(product({ inventory_tracked: false }))).toBeUndefined();
    expect(skuListedBy(product({ erp_sku: " ", external_sku: null }))).toBeUndefined();
    expect(skuListedBy(product({ variant_count: 2 }))).toBeUndefined();
    expect(skuListedBy(variant({ sku: null }))).toBeUndefined();
  });
});

describe("what a write means for the ERP stock", () => {
  it("the hub moving stock moves the ERP quantity by as much", () => {
    expect(listingChangesOf(product(), product({ inventory_quantity: 7 }))).toEqual([{ kind: "moved", sku: "DESK", delta: -3, seq: 0 }]);
  });

  it("a quantity the hub is told becomes the ERP quantity, even one a platform reported before", () => {
    expect(listingChangesOf(product(), product({ inventory_quantity: 25, stock_origin: "set", stock_seq: 4 }))).toEqual([{ kind: "set", sku: "DESK", quantity: 25, seq: 4 }]);
    expect(listingChangesOf(product({ stock_origin: "platform" }), product({ stock_origin: "set" }))).toEqual([{ kind: "set", sku: "DESK", quantity: 10, seq: 0 }]);
    expect(listingChangesOf(product({ stock_origin: "set" }), product({ stock_origin: "set", product_name: "renamed" }))).toEqual([]);
  });

  it("a platform's report is only what it shows; the ERP's number copied back changes nothing", () => {
    expect(listingChangesOf(product(), product({ inventory_quantity: 2, stock_origin: "platform" }))).toEqual([{ kind: "reported", sku: "DESK", quantity: 2 }]);
    expect(listingChangesOf(product(), product({ inventory_quantity: 2, stock_origin: "erp" }))).toEqual([]);
    expect(listingChangesOf(undefined, product({ stock_origin: "platform" }))).toEqual([{ kind: "listed", sku: "DESK", quantity: 10, reported: true, seq: 0 }]);
  });

  it("a new listing, a changed SKU, a deleted or untracked one", () => {
    expect(listingChangesOf(undefined, variant())).toEqual([{ kind: "listed", sku: "DESK-OAK", quantity: 4, reported: false, seq: 0 }]);
    expect(listingChangesOf(product(), product({ erp_sku: "TABLE" }))).toEqual([{ kind: "unlisted", sku: "DESK" }, { kind: "listed", sku: "TABLE", quantity: 10, reported: false, seq: 0 }]);
    expect(listingChangesOf(variant(), undefined)).toEqual([{ kind: "unlisted", sku: "DESK-OAK" }]);
    expect(listingChangesOf(product(), product({ inventory_tracked: false }))).toEqual([{ kind: "unlisted", sku: "DESK" }]);
    // Its first variant makes a product's stock theirs.
    expect(listingChangesOf(product(), product({ variant_count: 1 }))).toEqual([{ kind: "unlisted", sku: "DESK" }]);
  });
});

describe("the origin a write records", () => {
  const hub: Principal = { keyId: "k", role: "operator", storefrontIds: null };
  const platform: Principal = { ...hub, relaysPlatform: true };
  const record = (fields: Record<string, unknown> = {}) => ({ inventory_quantity: 10, updated_at: "then", version: 3, ...fields }) as { inventory_quantity: number; updated_at: string; version: number; stock_origin?: "set" | "platform" | "erp" | null; stock_seq?: number };

  it("told by the hub: set; reported by a platform: platform; only when a quantity is given", () => {
    const told = { next: record({ inventory_quantity: 12, version: 4 }), changedFields: ["inventory_quantity"] as any[] };
    recordStockOrigin(record(), told, 12, hub, "now");
    expect(told.next.stock_origin).toBe("set");
    // Counted among the hub's own changes of its stock; a platform's report is not.
    expect(told.next.stock_seq).toBe(1);
    expect(told.changedFields).toContain("stock_seq");
    expect(told.changedFields).toContain("stock_origin");
    const reported = { next: record({ inventory_quantity: 12, version: 4 }), changedFields: ["inventory_quantity"] as any[] };
    recordStockOrigin(record(), reported, 12, platform, "now");
    expect(reported.next.stock_origin).toBe("platform");
    expect(reported.next.stock_seq).toBeUndefined();
    const renamed = { next: record({ version: 4 }), changedFields: ["product_name"] as any[] };
    recordStockOrigin(record(), renamed, undefined, hub, "now");
    expect(renamed.changedFields).toEqual(["product_name"]);
  });

  it("the hub giving the number a platform reported last makes a write of it, with a new version", () => {
    const same = { next: record({ stock_origin: "platform" }), changedFields: [] as any[] };
    recordStockOrigin(record({ stock_origin: "platform" }), same, 10, hub, "now");
    expect(same.next).toMatchObject({ stock_origin: "set", version: 4, updated_at: "now" });
    const unchanged = { next: record({ stock_origin: "set" }), changedFields: [] as any[] };
    recordStockOrigin(record({ stock_origin: "set" }), unchanged, 10, hub, "now");
    expect(unchanged.changedFields).toEqual([]);
  });
});
