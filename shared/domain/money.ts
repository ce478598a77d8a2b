import type { FieldIssue } from "../http/errors";
/**
 * Money is held as integer minor units (cents) and shown as decimal strings
 * with the currency's own number of decimals.
 */
const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyDecimals(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * Parses a decimal amount (a JSON number or a string such as "1299.99") into
 * minor units without floating-point arithmetic. Returns `undefined` when the
 * amount is not a plain decimal or has more decimals than the currency allows.
 */
export function toMinorUnits(amount: number | string, currency: string): bigint | undefined {
  const text = typeof amount === "number" ? numberToPlainString(amount) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text ?? "");
  if (!match) return undefined;
  const [, sign, whole, fraction = ""] = match;
  const decimals = currencyDecimals(currency);
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > decimals) return undefined;
  const minor = BigInt(whole! + trimmed.padEnd(decimals, "0"));
  return sign === "-" ? -minor : minor;
}

/** Formats minor units as a decimal string: 141899n, "USD" -> "1418.99". */
export function formatMinorUnits(minor: bigint | number, currency: string): string {
  const value = BigInt(minor);
  const decimals = currencyDecimals(currency);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

function numberToPlainString(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // Shortest round-trip representation; reject exponent forms (1e-7, 1e21).
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}

/** Reads a validated decimal amount as minor units, collecting an issue naming the field when it has too many decimals. */
export function minorOf(value: string | undefined, currency: string, field: string, issues: FieldIssue[], fallback = 0): number {
  if (value === undefined) return fallback;
  const minor = toMinorUnits(value, currency);
  if (minor === undefined) {
    issues.push({ field, message: `must have at most ${currencyDecimals(currency)} decimals in ${currency}` });
    return 0;
  }
  return Number(minor);
}
