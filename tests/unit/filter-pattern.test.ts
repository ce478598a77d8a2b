import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FilterPatternError, matchesAnyPattern, matchesPattern } from "../../infra/local/filter-pattern";

/** A stream record's `dynamodb` part around a NewImage, in the shape Lambda delivers. */
const streamRecord = (newImage: Record<string, unknown>, eventName = "INSERT") => ({
  eventName,
  eventSource: "aws:dynamodb",
  dynamodb: { Keys: { pk: { S: "STOREFRONT#1" }, sk: { S: "STOREFRONT" } }, NewImage: newImage, SequenceNumber: "100000000000000000001" },
});

const sample = (name: string) => JSON.parse(readFileSync(new URL(`../../events/aws/${name}`, import.meta.url), "utf8")) as { Records: unknown[] };

describe("plain values", () => {
  it("matches nested objects down to a list of allowed strings", () => {
    const pattern = { dynamodb: { NewImage: { entity: { S: ["storefront", "order"] } } } };
    expect(matchesPattern(pattern, streamRecord({ entity: { S: "order" } }))).toBe(true);
    expect(matchesPattern(pattern, streamRecord({ entity: { S: "api_key" } }))).toBe(false);
  });

  it("requires every field of a pattern (and)", () => {
    const pattern = { eventName: ["INSERT"], dynamodb: { NewImage: { entity: { S: ["storefront"] } } } };
    expect(matchesPattern(pattern, streamRecord({ entity: { S: "storefront" } }, "INSERT"))).toBe(true);
    expect(matchesPattern(pattern, streamRecord({ entity: { S: "storefront" } }, "MODIFY"))).toBe(false);
  });

  it("fails when the field is missing or the path leads elsewhere", () => {
    const pattern = { dynamodb: { NewImage: { entity: { S: ["storefront"] } } } };
    expect(matchesPattern(pattern, streamRecord({}))).toBe(false);
    expect(matchesPattern(pattern, streamRecord({ entity: { N: "1" } }))).toBe(false);
    expect(matchesPattern(pattern, "not an object")).toBe(false);
  });

  it("matches numbers exactly, and never a string spelling of them", () => {
    expect(matchesPattern({ count: [5] }, { count: 5 })).toBe(true);
    expect(matchesPattern({ count: [5] }, { count: 6 })).toBe(false);
    expect(matchesPattern({ count: [5] }, { count: "5" })).toBe(false);
  });

  it("matches null only against a null value", () => {
    expect(matchesPattern({ owner: [null] }, { owner: null })).toBe(true);
    expect(matchesPattern({ owner: [null] }, {})).toBe(false);
    expect(matchesPattern({ owner: [null] }, { owner: "null" })).toBe(false);
  });

  it("matches the empty string only against an empty string", () => {
    expect(matchesPattern({ name: [""] }, { name: "" })).toBe(true);
    expect(matchesPattern({ name: [""] }, { name: "x" })).toBe(false);
  });

  it("matches booleans exactly", () => {
    expect(matchesPattern({ dynamodb: { NewImage: { is_active: { BOOL: [true] } } } }, streamRecord({ is_active: { BOOL: true } }))).toBe(true);
    expect(matchesPattern({ dynamodb: { NewImage: { is_active: { BOOL: [true] } } } }, streamRecord({ is_active: { BOOL: false } }))).toBe(false);
  });

  it("matches a record array when any element matches", () => {
    expect(matchesPattern({ tags: ["sale"] }, { tags: ["new", "sale"] })).toBe(true);
    expect(matchesPattern({ tags: ["sale"] }, { tags: ["new", "clearance"] })).toBe(false);
    expect(matchesPattern({ tags: ["sale"] }, { tags: [] })).toBe(false);
  });

  it("matches an array of objects when one element matches the whole nested pattern", () => {
    const record = { lines: [{ sku: "A", qty: 1 }, { sku: "B", qty: 2 }] };
    expect(matchesPattern({ lines: { sku: ["B"], qty: [2] } }, record)).toBe(true);
    expect(matchesPattern({ lines: { sku: ["C"] } }, record)).toBe(false);
  });

  it("treats an empty pattern as matching everything", () => {
    expect(matchesPattern({}, { anything: 1 })).toBe(true);
  });
});

describe("prefix and suffix", () => {
  it("prefix matches the start of a string", () => {
    const pattern = { dynamodb: { Keys: { pk: { S: [{ prefix: "STOREFRONT#" }] } } } };
    expect(matchesPattern(pattern, streamRecord({}))).toBe(true);
    expect(matchesPattern({ dynamodb: { Keys: { pk: { S: [{ prefix: "ORDER#" }] } } } }, streamRecord({}))).toBe(false);
  });

  it("prefix with equals-ignore-case ignores case", () => {
    expect(matchesPattern({ code: [{ prefix: { "equals-ignore-case": "ocean-" } }] }, { code: "OCEAN-EU" })).toBe(true);
    expect(matchesPattern({ code: [{ prefix: { "equals-ignore-case": "river-" } }] }, { code: "OCEAN-EU" })).toBe(false);
  });

  it("prefix never matches a number", () => {
    expect(matchesPattern({ id: [{ prefix: "1" }] }, { id: 12 })).toBe(false);
  });

  it("suffix matches the end of a string", () => {
    expect(matchesPattern({ file: [{ suffix: ".png" }] }, { file: "logo.png" })).toBe(true);
    expect(matchesPattern({ file: [{ suffix: ".png" }] }, { file: "logo.jpg" })).toBe(false);
  });

  it("suffix with equals-ignore-case ignores case", () => {
    expect(matchesPattern({ file: [{ suffix: { "equals-ignore-case": ".PNG" } }] }, { file: "logo.png" })).toBe(true);
    expect(matchesPattern({ file: [{ suffix: { "equals-ignore-case": ".PNG" } }] }, { file: "logo.gif" })).toBe(false);
  });
});

describe("anything-but", () => {
  it("excludes a single value", () => {
    expect(matchesPattern({ status: [{ "anything-but": "cancelled" }] }, { status: "paid" })).toBe(true);
    expect(matchesPattern({ status: [{ "anything-but": "cancelled" }] }, { status: "cancelled" })).toBe(false);
  });

  it("excludes a list of values", () => {
    const pattern = { eventName: [{ "anything-but": ["REMOVE", "MODIFY"] }] };
    expect(matchesPattern(pattern, { eventName: "INSERT" })).toBe(true);
    expect(matchesPattern(pattern, { eventName: "REMOVE" })).toBe(false);
  });

  it("excludes numbers", () => {
    expect(matchesPattern({ count: [{ "anything-but": [0] }] }, { count: 3 })).toBe(true);
    expect(matchesPattern({ count: [{ "anything-but": [0] }] }, { count: 0 })).toBe(false);
  });

  it("does not match a missing field", () => {
    expect(matchesPattern({ status: [{ "anything-but": "cancelled" }] }, {})).toBe(false);
  });

  it("excludes a prefix", () => {
    expect(matchesPattern({ pk: [{ "anything-but": { prefix: "APIKEY#" } }] }, { pk: "STOREFRONT#1" })).toBe(true);
    expect(matchesPattern({ pk: [{ "anything-but": { prefix: "APIKEY#" } }] }, { pk: "APIKEY#ab12" })).toBe(false);
  });

  it("excludes a suffix", () => {
    expect(matchesPattern({ file: [{ "anything-but": { suffix: ".tmp" } }] }, { file: "feed.csv" })).toBe(true);
    expect(matchesPattern({ file: [{ "anything-but": { suffix: ".tmp" } }] }, { file: "feed.tmp" })).toBe(false);
  });

  it("excludes values in any casing", () => {
    const pattern = { status: [{ "anything-but": { "equals-ignore-case": ["cancelled", "refunded"] } }] };
    expect(matchesPattern(pattern, { status: "paid" })).toBe(true);
    expect(matchesPattern(pattern, { status: "CANCELLED" })).toBe(false);
  });
});

describe("exists", () => {
  it("exists: true matches a present value", () => {
    const pattern = { dynamodb: { NewImage: { deleted_at: { S: [{ exists: true }] } } } };
    expect(matchesPattern(pattern, streamRecord({ deleted_at: { S: "2026-01-01T00:00:00Z" } }))).toBe(true);
    expect(matchesPattern(pattern, streamRecord({}))).toBe(false);
  });

  it("exists: true only sees leaves, not objects", () => {
    expect(matchesPattern({ dynamodb: { NewImage: { deleted_at: [{ exists: true }] } } }, streamRecord({ deleted_at: { S: "x" } }))).toBe(false);
  });

  it("exists: false matches an absent value, also under an absent parent", () => {
    const pattern = { dynamodb: { OldImage: { entity: { S: [{ exists: false }] } } } };
    expect(matchesPattern(pattern, streamRecord({ entity: { S: "storefront" } }))).toBe(true);
    expect(matchesPattern(pattern, { dynamodb: { OldImage: { entity: { S: "storefront" } } } })).toBe(false);
  });
});

describe("numeric", () => {
  it("matches a range", () => {
    const pattern = { quantity: [{ numeric: [">", 0, "<=", 5] }] };
    expect(matchesPattern(pattern, { quantity: 5 })).toBe(true);
    expect(matchesPattern(pattern, { quantity: 0.5 })).toBe(true);
    expect(matchesPattern(pattern, { quantity: 0 })).toBe(false);
    expect(matchesPattern(pattern, { quantity: 6 })).toBe(false);
  });

  it("matches equality and the other comparisons", () => {
    expect(matchesPattern({ n: [{ numeric: ["=", 100] }] }, { n: 100 })).toBe(true);
    expect(matchesPattern({ n: [{ numeric: ["=", 100] }] }, { n: 101 })).toBe(false);
    expect(matchesPattern({ n: [{ numeric: ["<", 10] }] }, { n: 9 })).toBe(true);
    expect(matchesPattern({ n: [{ numeric: [">=", 10] }] }, { n: 9 })).toBe(false);
  });

  it("never matches strings, so DynamoDB N values need string matching (as in AWS)", () => {
    expect(matchesPattern({ quantity: [{ numeric: [">", 0] }] }, { quantity: "3" })).toBe(false);
    expect(matchesPattern({ dynamodb: { NewImage: { storefront_id: { N: ["1"] } } } }, streamRecord({ storefront_id: { N: "1" } }))).toBe(true);
  });
});

describe("equals-ignore-case", () => {
  it("matches any casing of the string", () => {
    expect(matchesPattern({ platform: [{ "equals-ignore-case": "shopify" }] }, { platform: "ShopIfy" })).toBe(true);
    expect(matchesPattern({ platform: [{ "equals-ignore-case": "shopify" }] }, { platform: "shop" })).toBe(false);
  });
});

describe("several rules and several patterns", () => {
  it("matches when any rule of a field matches (or)", () => {
    const pattern = { status: ["paid", { prefix: "refund" }] };
    expect(matchesPattern(pattern, { status: "refund_pending" })).toBe(true);
    expect(matchesPattern(pattern, { status: "open" })).toBe(false);
  });

  it("matchesAnyPattern matches when one pattern does, and an empty list matches everything", () => {
    const patterns = [{ eventName: ["REMOVE"] }, { dynamodb: { NewImage: { entity: { S: ["storefront"] } } } }];
    expect(matchesAnyPattern(patterns, streamRecord({ entity: { S: "storefront" } }))).toBe(true);
    expect(matchesAnyPattern(patterns, streamRecord({ entity: { S: "api_key" } }))).toBe(false);
    expect(matchesAnyPattern([], streamRecord({}))).toBe(true);
  });

  it("applies to the sample stream events", () => {
    const storefrontInserts = { eventName: ["INSERT"], dynamodb: { NewImage: { entity: { S: ["storefront"] } } } };
    const connections = { eventName: ["MODIFY"], dynamodb: { NewImage: { connection_status: { S: ["connected"] } }, OldImage: { connection_status: { S: [{ "anything-but": "connected" }] } } } };
    const [insert] = sample("dynamodb-stream-insert.json").Records;
    const [modify] = sample("dynamodb-stream-modify.json").Records;
    expect(matchesPattern(storefrontInserts, insert)).toBe(true);
    expect(matchesPattern(storefrontInserts, modify)).toBe(false);
    expect(matchesPattern(connections, modify)).toBe(true);
    expect(matchesPattern(connections, insert)).toBe(false);
  });
});

describe("invalid patterns", () => {
  it.each([
    ["a bare value instead of a list", { status: "paid" }],
    ["an unknown operator", { status: [{ wildcard: "p*" }] }],
    ["an operator object with two keys", { status: [{ prefix: "a", suffix: "b" }] }],
    ["a numeric rule with an unknown operator", { n: [{ numeric: ["!=", 1] }] }],
    ["a numeric rule without a bound", { n: [{ numeric: [">"] }] }],
    ["a numeric bound that is a string", { n: [{ numeric: [">", "1"] }] }],
    ["exists with a non-boolean", { n: [{ exists: "yes" }] }],
    ["an empty anything-but list", { n: [{ "anything-but": [] }] }],
    ["a prefix that is not a string", { n: [{ prefix: 1 }] }],
    ["a nested list as a rule", { n: [["a"]] }],
  ])("rejects %s", (_, pattern) => {
    expect(() => matchesPattern(pattern as Record<string, unknown>, {})).toThrow(FilterPatternError);
  });

  it("matchesAnyPattern rejects an invalid pattern even after one that matches", () => {
    expect(() => matchesAnyPattern([{}, { status: "paid" }], {})).toThrow(/status/);
  });
});
