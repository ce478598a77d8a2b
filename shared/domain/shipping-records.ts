/**
 * A storefront's shipping method as the hub keeps it (amounts in minor
 * units of the storefront's default currency, weights in grams), and the
 * rate rules: which methods apply to a destination, amount and weight, and
 * what each costs. Every boundary is inclusive: an order of exactly the
 * minimum or maximum amount, or exactly the maximum weight, qualifies, and an
 * order of exactly the free-shipping threshold ships free.
 */
import { ValidationError, type FieldIssue } from "../http/errors";
import type { CreateShippingMethodInput, UpdateShippingMethodInput } from "../schemas/shipping";
import { shippingMethodView as viewSchema } from "../schemas/shipping";
import { currencyDecimals, formatMinorUnits, toMinorUnits } from "./money";
import { definedOnly, inOrder } from "./record-fields";

export interface ShippingMethodRecord {
  shipping_method_id: number;
  storefront_id: number;
  external_shipping_id: string | null;
  method_name: string;
  method_code: string;
  carrier: string | null;
  service_level: string | null;
  currency: string;
  base_rate_minor: number;
  rate_per_kg_minor: number;
  rate_per_item_minor: number;
  free_shipping_threshold_minor: number | null;
  min_delivery_days: number | null;
  max_delivery_days: number | null;
  estimated_delivery_text: string | null;
  /** Empty: every country. */
  available_countries: string[];
  available_zones: string[];
  min_order_amount_minor: number | null;
  max_order_amount_minor: number | null;
  max_weight_grams: number | null;
  supports_tracking: boolean;
  tracking_url_template: string | null;
  is_active: boolean;
  created_at: string;
  updated_at: string;
  version: number;
}

const MONEY_FIELDS = ["base_rate", "rate_per_kg", "rate_per_item", "free_shipping_threshold", "min_order_amount", "max_order_amount"] as const;

/** "2.5" kg -> 2500 g (the schema allows at most 3 decimals). */
export function gramsOf(kilograms: string): number {
  const [whole, fraction = ""] = kilograms.split(".");
  return Number(whole) * 1000 + Number(fraction.padEnd(3, "0"));
}

const kilogramsText = (grams: number) => `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, "0")}`;

type MethodInput = Partial<Omit<CreateShippingMethodInput, "storefront_id">> | UpdateShippingMethodInput;

/** Converts validated fields into stored values; a 400 names amounts with too many decimals and day ranges the wrong way round. */
export function toMethodChanges(input: MethodInput, currency: string): Partial<ShippingMethodRecord> {
  const issues: FieldIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(definedOnly(input))) {
    if ((MONEY_FIELDS as readonly string[]).includes(field)) {
      if (value === null) out[`${field}_minor`] = null;
      else {
        const minor = toMinorUnits(value as string, currency);
        if (minor === undefined) issues.push({ field: `body.${field}`, message: `must have at most ${currencyDecimals(currency)} decimals in ${currency}` });
        else out[`${field}_minor`] = Number(minor);
      }
    } else if (field === "max_weight") out.max_weight_grams = value === null ? null : gramsOf(value as string);
    else out[field] = value;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return out as Partial<ShippingMethodRecord>;
}

export function assertDaysInOrder(method: ShippingMethodRecord): void {
  if (method.min_delivery_days !== null && method.max_delivery_days !== null && method.min_delivery_days > method.max_delivery_days) {
    throw new ValidationError([{ field: "body.min_delivery_days", message: `must not be more than max_delivery_days (${method.max_delivery_days})` }]);
  }
}

export function newShippingMethod(identity: { shipping_method_id: number; storefront_id: number; currency: string }, changes: Partial<ShippingMethodRecord>, now: string): ShippingMethodRecord {
  const method: ShippingMethodRecord = {
    external_shipping_id: null,
    method_name: "",
    method_code: "",
    carrier: null,
    service_level: null,
    base_rate_minor: 0,
    rate_per_kg_minor: 0,
    rate_per_item_minor: 0,
    free_shipping_threshold_minor: null,
    min_delivery_days: null,
    max_delivery_days: null,
    estimated_delivery_text: null,
    available_countries: [],
    available_zones: [],
    min_order_amount_minor: null,
    max_order_amount_minor: null,
    max_weight_grams: null,
    supports_tracking: true,
    tracking_url_template: null,
    is_active: true,
    ...identity,
    ...changes,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  assertDaysInOrder(method);
  return method;
}

export interface RateRequest {
  country: string;
  orderMinor: number;
  grams: number;
  itemCount: number;
}

export function isAvailable(method: ShippingMethodRecord, request: RateRequest): boolean {
  if (!method.is_active) return false;
  if (method.available_countries.length > 0 && !method.available_countries.includes(request.country)) return false;
  if (method.min_order_amount_minor !== null && request.orderMinor < method.min_order_amount_minor) return false;
  if (method.max_order_amount_minor !== null && request.orderMinor > method.max_order_amount_minor) return false;
  if (method.max_weight_grams !== null && request.grams > method.max_weight_grams) return false;
  return true;
}

/** base + per kg × weight (rounded half up to the minor unit) + per item × items; 0 from the free-shipping threshold on. */
export function rateMinor(method: ShippingMethodRecord, request: RateRequest): number {
  if (method.free_shipping_threshold_minor !== null && request.orderMinor >= method.free_shipping_threshold_minor) return 0;
  const perKg = (BigInt(method.rate_per_kg_minor) * BigInt(request.grams) * 2n + 1000n) / 2000n;
  return method.base_rate_minor + Number(perKg) + method.rate_per_item_minor * request.itemCount;
}

const VIEW_FIELDS = Object.keys(viewSchema.entries);

export function shippingMethodView(method: ShippingMethodRecord) {
  const money = (minor: number | null) => (minor === null ? null : formatMinorUnits(minor, method.currency));
  const { version: _lock, ...fields } = method;
  return inOrder(VIEW_FIELDS, {
    ...fields,
    base_rate: money(method.base_rate_minor),
    rate_per_kg: money(method.rate_per_kg_minor),
    rate_per_item: money(method.rate_per_item_minor),
    free_shipping_threshold: money(method.free_shipping_threshold_minor),
    min_order_amount: money(method.min_order_amount_minor),
    max_order_amount: money(method.max_order_amount_minor),
    max_weight: method.max_weight_grams === null ? null : kilogramsText(method.max_weight_grams),
  });
}
