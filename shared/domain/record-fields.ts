/** Field-level helpers for the records the domain keeps. */
import { isDeepStrictEqual } from "node:util";

/** The fields that are not undefined: what a partial request actually sets (null included, to clear). */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The fields whose values differ, compared deeply (object key order does not matter). */
export function changedFieldsOf<T extends object>(current: T, next: T): (keyof T)[] {
  return (Object.keys(next) as (keyof T)[]).filter((field) => !isDeepStrictEqual(next[field], current[field]));
}

/** Picks `fields` of `value` in that order: items come back from DynamoDB with their attributes in no particular order. */
export function inOrder<T extends object>(fields: readonly string[], value: T): T {
  return Object.fromEntries(fields.filter((field) => field in value).map((field) => [field, value[field as keyof T]])) as T;
}

/**
 * `true` when `Listed` names every key of `Schema`'s entries, else a type naming
 * the missing ones: `const check: AllFieldsListed<typeof schema, typeof LIST> = true`
 * fails to compile when a schema field is missing from a hand-written field list.
 * (Views list their fields in the domain, importing the schema as a type only,
 * so that a handler's bundle does not carry every response schema.)
 */
export type AllFieldsListed<Schema extends { entries: object }, Listed extends readonly string[]> = [Exclude<keyof Schema["entries"], Listed[number]>] extends [never]
  ? true
  : { missing: Exclude<keyof Schema["entries"], Listed[number]> };
