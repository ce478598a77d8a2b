import * as v from "valibot";

export const text = (max: number, min = 0) =>
  v.pipe(v.string(), v.trim(), v.minLength(min, `must have at least ${min} characters`), v.maxLength(max, `must have at most ${max} characters`));

export const optionalText = (max: number) => v.optional(v.nullable(text(max)));

export const url = v.pipe(v.string(), v.trim(), v.maxLength(2048, "must have at most 2048 characters"), v.url("must be a URL"));

export const currencyCode = v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code such as USD"));

export const timeZone = v.pipe(
  v.string(),
  v.check((zone) => isTimeZone(zone), "must be an IANA time zone such as America/New_York"),
);

export const positiveId = v.pipe(v.number("must be a number"), v.integer("must be an integer"), v.minValue(1, "must be at least 1"));

/** A path or query parameter holding a positive integer id. */
export const idParam = v.pipe(v.string(), v.regex(/^[1-9]\d{0,14}$/, "must be a positive integer"), v.transform(Number));

/** A query parameter holding a whole number within bounds. */
export const intParam = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,9}$/, "must be a whole number"),
    v.transform(Number),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

export const booleanParam = v.pipe(v.picklist(["true", "false"], "must be true or false"), v.transform((value) => value === "true"));

export const email = v.pipe(v.string(), v.trim(), v.maxLength(320, "must have at most 320 characters"), v.email("must be an email address"));

export const isoTimestamp = v.pipe(v.string(), v.isoTimestamp("must be an ISO 8601 timestamp"));

/** Above this, `page` paging is refused: walking pages costs as much as reading every item before the page. */
export const MAX_PAGE_DEPTH = 10_000;

/**
 * A non-negative decimal amount, as a JSON number (1299.99) or a string ("1299.99").
 * Its output is the decimal text; the domain converts it to minor units of the
 * currency and refuses more decimals than the currency has.
 */
export const amount = v.pipe(
  v.union([v.number(), v.string()], "must be a decimal amount such as 1299.99"),
  v.transform((value) => (typeof value === "number" ? String(value) : value.trim())),
  v.regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount such as 1299.99"),
  v.check((value) => !value.startsWith("-"), "must not be negative"),
  v.regex(/^\d{1,12}(\.\d+)?$/, "must be less than 1000000000000"),
);

/** A count of units: whole and not negative. */
export const quantity = v.pipe(
  v.number("must be a number"),
  v.integer("must be a whole number"),
  v.minValue(0, "must not be negative"),
  v.maxValue(1_000_000_000, "must be at most 1000000000"),
);

/** A platform's own id: platforms send strings ("prod_abc123") or numbers (Shopify's 7001234567890); both are kept as text. */
export const externalId = v.pipe(
  v.union([v.string(), v.pipe(v.number(), v.integer(), v.minValue(0))], "must be a string or a whole number"),
  v.transform((value) => String(value).trim()),
  v.minLength(1, "must not be empty"),
  v.maxLength(255, "must have at most 255 characters"),
);

/** A timestamp sent by a platform, normalized to UTC so that stored timestamps compare as text. */
export const platformTimestamp = v.pipe(
  isoTimestamp,
  v.check((value) => Number.isFinite(Date.parse(value)), "must be an ISO 8601 timestamp"),
  v.transform((value) => new Date(value).toISOString()),
);

const MAX_JSON_BYTES = 16 * 1024;
const MAX_JSON_DEPTH = 8;

function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Object.values(value as Record<string, unknown>);
  return 1 + (children.length === 0 ? 0 : Math.max(...children.map(depthOf)));
}

/** Free-form JSON (custom fields, platform metadata), bounded in size and depth so that it always fits the item. */
export const jsonObject = v.pipe(
  v.record(v.pipe(v.string(), v.minLength(1, "keys must not be empty")), v.unknown(), "must be a JSON object"),
  v.check((value) => Buffer.byteLength(JSON.stringify(value)) <= MAX_JSON_BYTES, `must be at most ${MAX_JSON_BYTES} bytes of JSON`),
  v.check((value) => depthOf(value) <= MAX_JSON_DEPTH, `must not nest deeper than ${MAX_JSON_DEPTH} levels`),
);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
