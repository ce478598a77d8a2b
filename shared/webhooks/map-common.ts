/**
 * Small readers shared by the platform mappers. Mappers pass on what the
 * platform sent (the REST schemas judge it when the action is applied), so
 * these only refuse what makes a payload unreadable: not an object, no id.
 */
import { UnreadablePayloadError, type Body, type WebhookAction } from "./actions";

export type Json = Record<string, unknown>;

export const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export function payloadObject(payload: unknown, what: string): Json {
  if (!isRecord(payload)) throw new UnreadablePayloadError(`${what}: the payload is not a JSON object`);
  return payload;
}

/** A platform id as text: ids above 2^53 arrive as strings (parsePlatformJson), the others as numbers. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** Woo uses 0 for "none" (a guest customer, a line without variation). */
export const positiveIdOf = (value: unknown): string | undefined => (value === 0 || value === "0" ? undefined : idOf(value));

export function requireId(object: Json, field: string, what: string): string {
  const id = idOf(object[field]);
  if (id === undefined) throw new UnreadablePayloadError(`${what}: the payload has no ${field}`, field);
  return id;
}

export const textOf = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value : undefined);
export const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
export const recordOf = (value: unknown): Json | undefined => (isRecord(value) ? value : undefined);
export const booleanOf = (value: unknown): boolean | undefined => (typeof value === "boolean" ? value : undefined);

/** A whole, non-negative stock count; platforms allow negative stock (oversold), which the hub does not hold. */
export function stockOf(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isInteger(value)) return undefined;
  return Math.max(0, value);
}

/** "gift, vip" → ["gift", "vip"] (Shopify's comma-separated tags). */
export const splitTags = (value: unknown): string[] =>
  typeof value === "string" ? value.split(",").map((tag) => tag.trim()).filter((tag) => tag !== "") : [];

export const ignore = (reason: string): WebhookAction[] => [{ type: "ignore", reason }];

/** Drops the keys whose value is undefined, so a body only carries what the platform said. */
export function compact(body: Body): Body {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/*
 * Decimal arithmetic on the platform's amount strings, exact (bigint at the
 * largest scale among the operands): the hub recomputes totals from the
 * lines, so a line total off by a float rounding would change the order's total.
 */
interface Decimal {
  units: bigint;
  scale: number;
}

function parseDecimal(value: unknown): Decimal | undefined {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : typeof value === "string" ? value.trim() : undefined;
  const match = text === undefined ? null : /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = ""] = match;
  const units = BigInt(`${whole}${fraction}`);
  return { units: sign === "-" ? -units : units, scale: fraction.length };
}

const rescale = (value: Decimal, scale: number): bigint => value.units * 10n ** BigInt(scale - value.scale);

function formatDecimal({ units, scale }: Decimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${digits.slice(digits.length - scale)}` : ""}`;
}

/** The sum of amounts, or undefined when one of them is not a decimal. */
export function sumAmounts(values: unknown[], minScale = 0): string | undefined {
  const parsed = values.map(parseDecimal);
  if (parsed.some((value) => value === undefined)) return undefined;
  const decimals = parsed as Decimal[];
  const scale = Math.max(minScale, ...decimals.map((value) => value.scale));
  return formatDecimal({ units: decimals.reduce((sum, value) => sum + rescale(value, scale), 0n), scale });
}

export const subtractAmounts = (from: unknown, value: unknown): string | undefined => {
  const negated = parseDecimal(value);
  return negated && sumAmounts([from, formatDecimal({ units: -negated.units, scale: negated.scale })]);
};

export function multiplyAmount(value: unknown, quantity: number): string | undefined {
  const parsed = parseDecimal(value);
  return parsed && formatDecimal({ units: parsed.units * BigInt(quantity), scale: parsed.scale });
}

/** value / quantity, rounded half up at the value's own scale (a unit price from a line subtotal). */
export function divideAmount(value: unknown, quantity: number): string | undefined {
  const parsed = parseDecimal(value);
  if (!parsed || !Number.isInteger(quantity) || quantity <= 0) return undefined;
  const divisor = BigInt(quantity);
  const sign = parsed.units < 0n ? -1n : 1n;
  const magnitude = parsed.units * sign;
  return formatDecimal({ units: sign * ((magnitude * 2n + divisor) / (2n * divisor)), scale: parsed.scale });
}

/** max(0, value): a discount residue below zero means the platform already counted it elsewhere. */
export function nonNegative(value: string | undefined): string | undefined {
  const parsed = parseDecimal(value);
  return parsed && parsed.units < 0n ? formatDecimal({ units: 0n, scale: parsed.scale }) : value;
}

/** |value| of a negative amount ("-10.00" → "10.00"), as refunds and negative fees are sent. */
export const absoluteAmount = (value: unknown): string | undefined => {
  const parsed = parseDecimal(value);
  return parsed && formatDecimal({ units: parsed.units < 0n ? -parsed.units : parsed.units, scale: parsed.scale });
};

export const isNegativeAmount = (value: unknown): boolean => (parseDecimal(value)?.units ?? 0n) < 0n;
