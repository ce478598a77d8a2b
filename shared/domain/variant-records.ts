/**
 * A product variant as the hub keeps it, and the pure rules that turn
 * requests into it. Amounts are minor units of the product's currency.
 */
import type { StockOrigin } from "../stock/listing";
import type { SyncStatus } from "../schemas/product";
import { variantView as variantViewSchema, type VariantFieldsInput } from "../schemas/variant";
import { amountText, withMinorUnits } from "./catalog-money";
import { formatMinorUnits } from "./money";
import { changedFieldsOf, definedOnly, inOrder } from "./record-fields";

export interface VariantRecord {
  variant_id: number;
  ecommerce_product_id: number;
  currency: string;
  external_variant_id: string | null;
  variant_name: string;
  sku: string | null;
  option1_name: string | null;
  option1_value: string | null;
  option2_name: string | null;
  option2_value: string | null;
  option3_name: string | null;
  option3_value: string | null;
  price_minor: number;
  compare_at_price_minor: number | null;
  inventory_quantity: number;
  inventory_tracked: boolean;
  /** Where the quantity last written came from (shared/stock/listing.ts); absent or null: the hub. */
  stock_origin?: StockOrigin | null;
  /** Counts the hub's own changes of its stock (shared/stock/listing.ts). */
  stock_seq?: number;
  weight: number | null;
  barcode: string | null;
  image_url: string | null;
  is_available: boolean;
  sync_status: SyncStatus;
  created_at: string;
  updated_at: string;
  /** Incremented by every write; a variant write is conditioned on it so that inventory deltas are never lost. */
  version: number;
}

export type VariantChanges = Partial<Omit<VariantRecord, "variant_id" | "ecommerce_product_id" | "currency" | "created_at" | "updated_at" | "version">>;

export function toVariantChanges(input: VariantFieldsInput, currency: string, root = "body"): VariantChanges {
  return withMinorUnits(input, currency, root) as VariantChanges;
}

/** "Small / Red" from the option values, as platforms name variants; "Default" without options. */
export function defaultVariantName(variant: Pick<VariantRecord, "option1_value" | "option2_value" | "option3_value">): string {
  const values = [variant.option1_value, variant.option2_value, variant.option3_value].filter(Boolean);
  return values.length > 0 ? values.join(" / ") : "Default";
}

export interface NewVariant {
  variant_id: number;
  ecommerce_product_id: number;
  currency: string;
  /** The product's price, for a variant created without its own. */
  price_minor: number;
}

export function newVariantRecord(identity: NewVariant, changes: VariantChanges, now: string): VariantRecord {
  const record: VariantRecord = {
    external_variant_id: null,
    variant_name: "",
    sku: null,
    option1_name: null,
    option1_value: null,
    option2_name: null,
    option2_value: null,
    option3_name: null,
    option3_value: null,
    compare_at_price_minor: null,
    inventory_quantity: 0,
    inventory_tracked: true,
    weight: null,
    barcode: null,
    image_url: null,
    is_available: true,
    sync_status: "pending",
    ...identity,
    ...definedOnly(changes),
    created_at: now,
    updated_at: now,
    version: 1,
  };
  if (!record.variant_name) record.variant_name = defaultVariantName(record);
  return record;
}

export function mergeVariant(current: VariantRecord, changes: VariantChanges, now: string): { next: VariantRecord; changedFields: (keyof VariantRecord)[] } {
  const next: VariantRecord = { ...current, ...definedOnly(changes) };
  if (!next.variant_name) next.variant_name = defaultVariantName(next);
  const changedFields = changedFieldsOf(current, next);
  if (changedFields.length > 0) {
    next.updated_at = now;
    next.version = current.version + 1;
  }
  return { next, changedFields };
}

const VARIANT_VIEW_FIELDS = Object.keys(variantViewSchema.entries);

export function variantView(variant: VariantRecord) {
  const { price_minor, compare_at_price_minor, currency: _productCurrency, version: _lock, ...fields } = variant;
  return inOrder(VARIANT_VIEW_FIELDS, {
    ...fields,
    price: formatMinorUnits(price_minor, variant.currency),
    compare_at_price: amountText(compare_at_price_minor, variant.currency),
  });
}
export type VariantView = ReturnType<typeof variantView>;
