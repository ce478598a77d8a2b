/**
 * Amounts of catalog requests (price, compare_at_price, cost_per_item) as the
 * hub stores them: integer minor units of the product's currency, in an
 * attribute named `<field>_minor`.
 */
import { ValidationError, type FieldIssue } from "../http/errors";
import { currencyDecimals, formatMinorUnits, toMinorUnits } from "./money";

const AMOUNT_FIELDS = new Set(["price", "compare_at_price", "cost_per_item"]);

/**
 * Copies the defined fields of a validated request, converting each amount
 * (decimal text) into minor units. An amount with more decimals than the
 * currency has is a 400 naming the field: nothing is rounded silently.
 */
export function withMinorUnits(input: Record<string, unknown>, currency: string, root = "body"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!AMOUNT_FIELDS.has(field)) {
      out[field] = value;
    } else if (value === null) {
      out[`${field}_minor`] = null;
    } else {
      const minor = toMinorUnits(value as string, currency);
      if (minor === undefined) issues.push({ field: `${root}.${field}`, message: `must have at most ${currencyDecimals(currency)} decimals in ${currency}` });
      else out[`${field}_minor`] = Number(minor);
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return out;
}

/** A stored amount as the API shows it: a decimal string, or null when not set. */
export const amountText = (minor: number | null, currency: string): string | null => (minor === null ? null : formatMinorUnits(minor, currency));
