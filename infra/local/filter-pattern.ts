/**
 * Lambda event filtering for the local event source mappings: the subset of
 * the EventBridge pattern language that Lambda accepts for stream records.
 *
 * A pattern mirrors the record's structure. Nested objects descend into the
 * record; every leaf of the pattern is an array of rules, and the field
 * matches when any rule matches (OR); all fields of a pattern must match (AND).
 * Rules are plain values (string, number, boolean, null: exact equality) or
 * one-key operator objects: prefix, suffix, anything-but, exists, numeric,
 * equals-ignore-case.
 *
 * As in AWS:
 * - only leaves (strings, numbers, booleans, null) are values; an object in
 *   the record where the pattern expects a leaf counts as "no value there";
 * - a record array matches when any of its elements matches;
 * - `numeric` only matches JSON numbers. DynamoDB's `N` attributes are
 *   strings in stream records, so `{ N: [{ numeric: [...] }] }` never matches,
 *   exactly as in AWS; match them as strings instead.
 *
 * Invalid patterns throw, as AWS rejects them when the mapping is created.
 */

type Rule = unknown;
type Pattern = Record<string, unknown>;

const NUMERIC_OPERATORS = ["=", "<", "<=", ">", ">="] as const;
type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

export class FilterPatternError extends Error {}

/** Does the record match one pattern? An empty pattern matches everything. */
export function matchesPattern(pattern: Record<string, unknown>, record: unknown): boolean {
  assertValidPattern(pattern, "");
  return matchesObject(pattern, record);
}

/** Does the record match any of the patterns? No patterns at all means no filtering: everything matches. */
export function matchesAnyPattern(patterns: Record<string, unknown>[], record: unknown): boolean {
  // Validate every pattern up front so that a broken one fails loudly even when an earlier one matches.
  patterns.forEach((pattern, index) => assertValidPattern(pattern, `[${index}]`));
  return patterns.length === 0 || patterns.some((pattern) => matchesObject(pattern, record));
}

// ---------------------------------------------------------------------------
// Matching

function matchesObject(pattern: Pattern, value: unknown): boolean {
  for (const [key, subPattern] of Object.entries(pattern)) {
    const field = isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    const matched = Array.isArray(subPattern) ? matchesLeaf(subPattern, field) : matchesNested(subPattern as Pattern, field);
    if (!matched) return false;
  }
  return true;
}

function matchesNested(pattern: Pattern, field: unknown): boolean {
  if (Array.isArray(field)) {
    const objects = field.filter(isPlainObject);
    // An array of objects matches when one of its elements matches the whole nested pattern.
    if (objects.length > 0) return objects.some((element) => matchesObject(pattern, element));
  }
  // Descending into something that is not an object finds no values, which only `exists: false` accepts.
  return matchesObject(pattern, isPlainObject(field) ? field : undefined);
}

/** The leaf values at a field: none when it is absent or is an object, every scalar element of an array. */
function leafValues(field: unknown): unknown[] {
  if (field === undefined || isPlainObject(field)) return [];
  if (Array.isArray(field)) return field.flatMap(leafValues);
  return [field];
}

function matchesLeaf(rules: Rule[], field: unknown): boolean {
  const values = leafValues(field);
  return rules.some((rule) => matchesRule(rule, values));
}

function matchesRule(rule: Rule, values: unknown[]): boolean {
  if (!isPlainObject(rule)) return values.some((value) => value === rule);
  const [operator, operand] = Object.entries(rule)[0]!;
  switch (operator) {
    case "exists":
      return operand === true ? values.length > 0 : values.length === 0;
    case "prefix":
      return values.some((value) => typeof value === "string" && startsWith(value, operand));
    case "suffix":
      return values.some((value) => typeof value === "string" && endsWith(value, operand));
    case "equals-ignore-case":
      return values.some((value) => typeof value === "string" && sameIgnoringCase(value, operand as string));
    case "numeric":
      return values.some((value) => typeof value === "number" && inNumericRange(value, operand as unknown[]));
    case "anything-but":
      return values.some((value) => !isExcluded(value, operand));
    default:
      // Unreachable after validation.
      throw new FilterPatternError(`Unsupported filter operator "${operator}"`);
  }
}

/** `prefix`/`suffix` take a string, or `{ "equals-ignore-case": string }`. */
function startsWith(value: string, operand: unknown): boolean {
  if (typeof operand === "string") return value.startsWith(operand);
  const text = (operand as { "equals-ignore-case": string })["equals-ignore-case"];
  return value.toLowerCase().startsWith(text.toLowerCase());
}

function endsWith(value: string, operand: unknown): boolean {
  if (typeof operand === "string") return value.endsWith(operand);
  const text = (operand as { "equals-ignore-case": string })["equals-ignore-case"];
  return value.toLowerCase().endsWith(text.toLowerCase());
}

function sameIgnoringCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function inNumericRange(value: number, conditions: unknown[]): boolean {
  for (let index = 0; index < conditions.length; index += 2) {
    const operator = conditions[index] as NumericOperator;
    const bound = conditions[index + 1] as number;
    const holds =
      operator === "=" ? value === bound
      : operator === "<" ? value < bound
      : operator === "<=" ? value <= bound
      : operator === ">" ? value > bound
      : value >= bound;
    if (!holds) return false;
  }
  return true;
}

/** `anything-but` excludes a value, a list of values, or values with a prefix, a suffix, or any casing of some strings. */
function isExcluded(value: unknown, operand: unknown): boolean {
  if (Array.isArray(operand)) return operand.some((excluded) => excluded === value);
  if (!isPlainObject(operand)) return operand === value;
  if (typeof value !== "string") return false;
  if ("prefix" in operand) return value.startsWith(operand.prefix as string);
  if ("suffix" in operand) return value.endsWith(operand.suffix as string);
  const ignoringCase = operand["equals-ignore-case"] as string | string[];
  return (Array.isArray(ignoringCase) ? ignoringCase : [ignoringCase]).some((excluded) => sameIgnoringCase(value, excluded));
}

// ---------------------------------------------------------------------------
// Validation: fail on patterns AWS would reject instead of silently never matching.

function assertValidPattern(pattern: unknown, path: string): void {
  if (!isPlainObject(pattern)) throw new FilterPatternError(`Filter pattern${path ? ` ${path}` : ""} must be a JSON object`);
  for (const [key, subPattern] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (Array.isArray(subPattern)) subPattern.forEach((rule) => assertValidRule(rule, at));
    else if (isPlainObject(subPattern)) assertValidPattern(subPattern, at);
    else throw new FilterPatternError(`Filter pattern field "${at}" must be an array of rules or a nested object, got ${JSON.stringify(subPattern)}`);
  }
}

function assertValidRule(rule: unknown, at: string): void {
  if (isScalar(rule)) return;
  const fail = (why: string): never => {
    throw new FilterPatternError(`Invalid rule ${JSON.stringify(rule)} at "${at}": ${why}`);
  };
  if (!isPlainObject(rule)) return fail("a rule is a string, number, boolean, null or an operator object");
  const entries = Object.entries(rule);
  if (entries.length !== 1) return fail("an operator object has exactly one key");
  const [operator, operand] = entries[0]!;
  switch (operator) {
    case "exists":
      if (typeof operand !== "boolean") fail("exists takes true or false");
      return;
    case "prefix":
    case "suffix":
      if (typeof operand !== "string" && !isIgnoreCaseOperand(operand)) fail(`${operator} takes a string or { "equals-ignore-case": string }`);
      return;
    case "equals-ignore-case":
      if (typeof operand !== "string") fail("equals-ignore-case takes a string");
      return;
    case "numeric":
      assertValidNumeric(operand, fail);
      return;
    case "anything-but":
      assertValidAnythingBut(operand, fail);
      return;
    default:
      fail(`unsupported operator "${operator}" (supported: prefix, suffix, anything-but, exists, numeric, equals-ignore-case)`);
  }
}

function assertValidNumeric(operand: unknown, fail: (why: string) => never): void {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length > 4 || operand.length % 2 !== 0) {
    fail('numeric takes one or two comparisons, e.g. [">", 0, "<=", 5]');
  }
  const conditions = operand as unknown[];
  for (let index = 0; index < conditions.length; index += 2) {
    if (!NUMERIC_OPERATORS.includes(conditions[index] as NumericOperator)) fail(`unknown numeric operator ${JSON.stringify(conditions[index])}`);
    if (typeof conditions[index + 1] !== "number" || !Number.isFinite(conditions[index + 1])) fail("numeric bounds must be finite numbers");
  }
}

function assertValidAnythingBut(operand: unknown, fail: (why: string) => never): void {
  if (typeof operand === "string" || typeof operand === "number") return;
  if (Array.isArray(operand)) {
    if (operand.length === 0 || !operand.every((value) => typeof value === "string" || typeof value === "number")) {
      fail("anything-but takes a non-empty list of strings or numbers");
    }
    return;
  }
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    if (typeof operand.prefix === "string" || typeof operand.suffix === "string") return;
    const ignoringCase = operand["equals-ignore-case"];
    if (typeof ignoringCase === "string") return;
    if (Array.isArray(ignoringCase) && ignoringCase.length > 0 && ignoringCase.every((value) => typeof value === "string")) return;
  }
  fail('anything-but takes a value, a list of values, { prefix }, { suffix } or { "equals-ignore-case" }');
}

function isIgnoreCaseOperand(operand: unknown): boolean {
  return isPlainObject(operand) && Object.keys(operand).length === 1 && typeof operand["equals-ignore-case"] === "string";
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
