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

export const isoTimestamp = v.pipe(v.string(), v.isoTimestamp("must be an ISO 8601 timestamp"));

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
