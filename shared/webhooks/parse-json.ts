/**
 * Platform payloads carry 64-bit ids as JSON numbers (Shopify's order and
 * line item ids among them), which lose digits as JavaScript numbers. Whole
 * numbers beyond 2^53 are kept as the exact digits the platform sent, as
 * strings; every id becomes a string in the domain anyway.
 */
type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepLargeIntegers: Reviver = (_key, value, context) =>
  typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source) ? context.source : value;

export function parsePlatformJson(text: string): unknown {
  return JSON.parse(text, keepLargeIntegers as (key: string, value: unknown) => unknown);
}
