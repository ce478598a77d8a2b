import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signUnsubscribeToken, verifyUnsubscribeToken } from "../../shared/carts/unsubscribe-token";

const KEY = Buffer.from("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", "hex");
const OTHER_KEY = Buffer.from("a0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9f", "hex");
const SUBJECT = { storefront_id: 7, email: "shopper@example.com" };

/** Replaces one character of a base64url string by another base64url character. */
function flip(part: string, index: number): string {
  const char = part[index] === "A" ? "B" : "A";
  return part.slice(0, index) + char + part.slice(index + 1);
}

describe("unsubscribe tokens", () => {
  it("round-trips and is URL-safe", () => {
    const token = signUnsubscribeToken(KEY, SUBJECT);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(verifyUnsubscribeToken(KEY, token)).toEqual(SUBJECT);
  });

  it("signs the documented layout", () => {
    const token = signUnsubscribeToken(KEY, SUBJECT);
    const [payloadPart, macPart] = token.split(".");
    expect(JSON.parse(Buffer.from(payloadPart!, "base64url").toString("utf8"))).toEqual({ s: 7, e: "shopper@example.com" });
    expect(macPart).toBe(createHmac("sha256", KEY).update(`unsubscribe:v1.${payloadPart}`).digest("base64url"));
  });

  it("lower-cases the email when signing", () => {
    const token = signUnsubscribeToken(KEY, { storefront_id: 7, email: "  Shopper@Example.COM " });
    expect(token).toBe(signUnsubscribeToken(KEY, SUBJECT));
    expect(verifyUnsubscribeToken(KEY, token)).toEqual(SUBJECT);
  });

  it("refuses a tampered payload", () => {
    const [, macPart] = signUnsubscribeToken(KEY, SUBJECT).split(".");
    const forged = Buffer.from(JSON.stringify({ s: 8, e: "shopper@example.com" })).toString("base64url");
    expect(verifyUnsubscribeToken(KEY, `${forged}.${macPart}`)).toBeUndefined();
    const token = signUnsubscribeToken(KEY, SUBJECT);
    expect(verifyUnsubscribeToken(KEY, flip(token, 3))).toBeUndefined();
  });

  it("refuses a tampered signature", () => {
    const token = signUnsubscribeToken(KEY, SUBJECT);
    const dot = token.indexOf(".");
    expect(verifyUnsubscribeToken(KEY, flip(token, dot + 1))).toBeUndefined();
    expect(verifyUnsubscribeToken(KEY, token.slice(0, -2))).toBeUndefined();
    expect(verifyUnsubscribeToken(KEY, `${token}AA`)).toBeUndefined();
    // Same MAC bytes, non-canonical last character (its low bits are padding).
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const variant = token.slice(0, -1) + alphabet[alphabet.indexOf(token.at(-1)!) ^ 1];
    expect(Buffer.from(variant.slice(dot + 1), "base64url")).toEqual(Buffer.from(token.slice(dot + 1), "base64url"));
    expect(verifyUnsubscribeToken(KEY, variant)).toBeUndefined();
  });

  it("refuses a token signed with another key", () => {
    const token = signUnsubscribeToken(OTHER_KEY, SUBJECT);
    expect(verifyUnsubscribeToken(OTHER_KEY, token)).toEqual(SUBJECT);
    expect(verifyUnsubscribeToken(KEY, token)).toBeUndefined();
  });

  it("refuses garbage without throwing", () => {
    const signedGarbage = (payload: string) => {
      const part = Buffer.from(payload).toString("base64url");
      return `${part}.${createHmac("sha256", KEY).update(`unsubscribe:v1.${part}`).digest("base64url")}`;
    };
    for (const token of [
      "",
      ".",
      "abc",
      "a.b.c",
      "a+b/c=.d",
      "x".repeat(2000) + "." + "y".repeat(43),
      signedGarbage("not json"),
      signedGarbage("null"),
      signedGarbage(JSON.stringify({ s: "7", e: "shopper@example.com" })),
      signedGarbage(JSON.stringify({ s: 7 })),
      signedGarbage(JSON.stringify({ s: -1, e: "shopper@example.com" })),
    ]) {
      expect(verifyUnsubscribeToken(KEY, token)).toBeUndefined();
    }
    expect(verifyUnsubscribeToken(KEY, signedGarbage(JSON.stringify({ s: 7, e: "shopper@example.com" })))).toEqual(SUBJECT);
  });

  it("refuses tokens over 1024 characters", () => {
    const long = signUnsubscribeToken(KEY, { storefront_id: 7, email: `${"a".repeat(300)}@example.com` });
    expect(long.length).toBeGreaterThan(400);
    expect(verifyUnsubscribeToken(KEY, long)).toEqual({ storefront_id: 7, email: `${"a".repeat(300)}@example.com` });
    expect(verifyUnsubscribeToken(KEY, long + "A".repeat(1025 - long.length))).toBeUndefined();
  });

  it("refuses short keys and invalid subjects", () => {
    expect(() => signUnsubscribeToken(Buffer.alloc(8), SUBJECT)).toThrow(RangeError);
    expect(() => verifyUnsubscribeToken(Buffer.alloc(0), "a.b")).toThrow(RangeError);
    expect(() => signUnsubscribeToken(KEY, { storefront_id: 0, email: "shopper@example.com" })).toThrow(RangeError);
    expect(() => signUnsubscribeToken(KEY, { storefront_id: 7, email: "not an email" })).toThrow(RangeError);
  });
});
