import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { localCipher } from "../../shared/security/credentials-cipher";
import { apiKeyId, bearerToken, hashApiKey, newApiKeyToken } from "../../shared/security/api-key-token";
import { canAccessStorefront, roleAllows } from "../../shared/domain/roles";

describe("the local credentials cipher", () => {
  const cipher = localCipher(randomBytes(32));
  const context = { storefront_id: "7", field: "api_key" };

  it("round-trips and never keeps the plaintext visible", async () => {
    const sealed = await cipher.encrypt("shpat_secret_value", context);
    expect(sealed).not.toContain("shpat_secret_value");
    expect(sealed.startsWith("local:v1:")).toBe(true);
    expect(await cipher.decrypt(sealed, context)).toBe("shpat_secret_value");
  });

  it("gives a different ciphertext every time", async () => {
    expect(await cipher.encrypt("same", context)).not.toBe(await cipher.encrypt("same", context));
  });

  it("refuses a ciphertext moved to another storefront or field", async () => {
    const sealed = await cipher.encrypt("shpat_secret_value", context);
    await expect(cipher.decrypt(sealed, { storefront_id: "8", field: "api_key" })).rejects.toThrow();
    await expect(cipher.decrypt(sealed, { storefront_id: "7", field: "api_secret" })).rejects.toThrow();
  });

  it("refuses a tampered ciphertext and another key", async () => {
    const sealed = await cipher.encrypt("shpat_secret_value", context);
    const raw = Buffer.from(sealed.slice("local:v1:".length), "base64");
    raw[raw.length - 1]! ^= 1;
    await expect(cipher.decrypt(`local:v1:${raw.toString("base64")}`, context)).rejects.toThrow();
    await expect(localCipher(randomBytes(32)).decrypt(sealed, context)).rejects.toThrow();
  });

  it("insists on a 32-byte key", () => {
    expect(() => localCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("API key tokens", () => {
  it("are random, prefixed, and identified by a prefix of their hash", () => {
    const token = newApiKeyToken();
    expect(token).toMatch(/^och_[A-Za-z0-9_-]{43}$/);
    expect(newApiKeyToken()).not.toBe(token);
    const hash = hashApiKey(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyId(hash)).toBe(hash.slice(0, 12));
  });

  it("are read from a Bearer header only", () => {
    expect(bearerToken("Bearer och_abc")).toBe("och_abc");
    expect(bearerToken("bearer  och_abc ")).toBe("och_abc");
    expect(bearerToken("Basic och_abc")).toBeUndefined();
    expect(bearerToken("Bearer")).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe("roles", () => {
  it("rank viewer < operator < admin", () => {
    expect(roleAllows("admin", "operator")).toBe(true);
    expect(roleAllows("operator", "operator")).toBe(true);
    expect(roleAllows("viewer", "operator")).toBe(false);
    expect(roleAllows("operator", "admin")).toBe(false);
  });

  it("limit a key to its storefronts", () => {
    expect(canAccessStorefront({ keyId: "k", role: "viewer", storefrontIds: null }, 5)).toBe(true);
    expect(canAccessStorefront({ keyId: "k", role: "viewer", storefrontIds: [1, 2] }, 2)).toBe(true);
    expect(canAccessStorefront({ keyId: "k", role: "admin", storefrontIds: [1, 2] }, 5)).toBe(false);
  });
});
