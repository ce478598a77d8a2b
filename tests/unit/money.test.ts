import { describe, expect, it } from "vitest";
import { currencyDecimals, formatMinorUnits, toMinorUnits } from "../../shared/domain/money";

describe("money", () => {
  it("parses decimal numbers and strings into exact minor units", () => {
    expect(toMinorUnits(1299.99, "USD")).toBe(129999n);
    expect(toMinorUnits("1418.99", "USD")).toBe(141899n);
    expect(toMinorUnits(0.1 + 0.2 === 0.3 ? 0.3 : "0.30", "USD")).toBe(30n);
    expect(toMinorUnits("5", "USD")).toBe(500n);
    expect(toMinorUnits("1.50", "USD")).toBe(150n);
    expect(toMinorUnits("-2.5", "EUR")).toBe(-250n);
    expect(toMinorUnits(1500, "JPY")).toBe(1500n);
    expect(toMinorUnits("1.234", "KWD")).toBe(1234n);
  });

  it("refuses more decimals than the currency has, and non-decimals", () => {
    expect(toMinorUnits("1.999", "USD")).toBeUndefined();
    expect(toMinorUnits("1.5", "JPY")).toBeUndefined();
    expect(toMinorUnits("1e3", "USD")).toBeUndefined();
    expect(toMinorUnits(1e21, "USD")).toBeUndefined();
    expect(toMinorUnits(Number.NaN, "USD")).toBeUndefined();
    expect(toMinorUnits("abc", "USD")).toBeUndefined();
    expect(toMinorUnits("1.2.3", "USD")).toBeUndefined();
  });

  it("formats minor units with the currency's decimals", () => {
    expect(formatMinorUnits(249997n, "USD")).toBe("2499.97");
    expect(formatMinorUnits(5, "USD")).toBe("0.05");
    expect(formatMinorUnits(0, "EUR")).toBe("0.00");
    expect(formatMinorUnits(-150, "USD")).toBe("-1.50");
    expect(formatMinorUnits(1500, "JPY")).toBe("1500");
    expect(formatMinorUnits(1234, "BHD")).toBe("1.234");
  });

  it("knows zero- and three-decimal currencies", () => {
    expect([currencyDecimals("usd"), currencyDecimals("JPY"), currencyDecimals("KWD")]).toEqual([2, 0, 3]);
  });

  it("round-trips every amount exactly", () => {
    for (let minor = -1000; minor <= 100000; minor += 37) {
      expect(toMinorUnits(formatMinorUnits(minor, "USD"), "USD")).toBe(BigInt(minor));
    }
  });
});
