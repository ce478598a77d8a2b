import { describe, expect, it } from "vitest";
import { nextFireTime, ScheduleExpressionError } from "../../infra/local/schedule-expression";

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string) => nextFireTime(expression, at(after)).toISOString();

describe("rate expressions", () => {
  it("adds the period to the given time", () => {
    expect(next("rate(5 minutes)", "2026-03-10T10:07:30.000Z")).toBe("2026-03-10T10:12:30.000Z");
    expect(next("rate(1 minute)", "2026-03-10T10:07:00.000Z")).toBe("2026-03-10T10:08:00.000Z");
    expect(next("rate(1 hour)", "2026-03-10T23:30:00.000Z")).toBe("2026-03-11T00:30:00.000Z");
    expect(next("rate(2 days)", "2026-02-27T06:00:00.000Z")).toBe("2026-03-01T06:00:00.000Z");
  });

  it.each([
    ["a plural unit for 1", "rate(1 minutes)", /singular/],
    ["a singular unit above 1", "rate(5 minute)", /plural/],
    ["zero", "rate(0 minutes)", /positive/],
    ["an unknown unit", "rate(2 weeks)", /not a valid rate/],
    ["a fraction", "rate(1.5 hours)", /not a valid rate/],
  ])("rejects %s", (_, expression, message) => {
    expect(() => nextFireTime(expression, new Date())).toThrow(message);
  });
});

describe("cron expressions", () => {
  it("fires at a fixed time each day, strictly after the given time", () => {
    expect(next("cron(0 12 * * ? *)", "2026-03-10T11:59:30.000Z")).toBe("2026-03-10T12:00:00.000Z");
    expect(next("cron(0 12 * * ? *)", "2026-03-10T12:00:00.000Z")).toBe("2026-03-11T12:00:00.000Z");
  });

  it("handles steps from * and from a value", () => {
    expect(next("cron(*/15 * * * ? *)", "2026-03-10T10:07:00.000Z")).toBe("2026-03-10T10:15:00.000Z");
    expect(next("cron(5/20 * * * ? *)", "2026-03-10T10:30:00.000Z")).toBe("2026-03-10T10:45:00.000Z");
    expect(next("cron(5/20 * * * ? *)", "2026-03-10T10:45:00.000Z")).toBe("2026-03-10T11:05:00.000Z");
  });

  it("handles ranges with steps and lists", () => {
    expect(next("cron(0 9-17/4 * * ? *)", "2026-03-10T09:00:00.000Z")).toBe("2026-03-10T13:00:00.000Z");
    expect(next("cron(0 9-17/4 * * ? *)", "2026-03-10T17:00:00.000Z")).toBe("2026-03-11T09:00:00.000Z");
    expect(next("cron(0,30 8 * * ? *)", "2026-03-10T08:10:00.000Z")).toBe("2026-03-10T08:30:00.000Z");
  });

  it("counts day-of-week 1-7 from Sunday and accepts day names", () => {
    // 2026-03-14 is a Saturday.
    expect(next("cron(0 8 ? * MON-FRI *)", "2026-03-14T09:00:00.000Z")).toBe("2026-03-16T08:00:00.000Z");
    expect(next("cron(0 8 ? * 2-6 *)", "2026-03-14T09:00:00.000Z")).toBe("2026-03-16T08:00:00.000Z");
    expect(next("cron(0 0 ? * 1 *)", "2026-03-14T09:00:00.000Z")).toBe("2026-03-15T00:00:00.000Z");
    expect(next("cron(0 0 ? * sun *)", "2026-03-14T09:00:00.000Z")).toBe("2026-03-15T00:00:00.000Z");
  });

  it("accepts month names and skips to the next allowed month", () => {
    expect(next("cron(0 0 1 JAN,JUL ? *)", "2026-03-10T00:00:00.000Z")).toBe("2026-07-01T00:00:00.000Z");
    expect(next("cron(0 0 1 jan,jul ? *)", "2026-07-01T00:00:00.000Z")).toBe("2027-01-01T00:00:00.000Z");
  });

  it("finds a leap day and honours the year field", () => {
    expect(next("cron(30 2 29 2 ? *)", "2026-03-01T00:00:00.000Z")).toBe("2028-02-29T02:30:00.000Z");
    expect(next("cron(0 0 1 1 ? 2030)", "2026-03-01T00:00:00.000Z")).toBe("2030-01-01T00:00:00.000Z");
    expect(() => nextFireTime("cron(0 0 1 1 ? 2030)", at("2030-01-01T00:00:00.000Z"))).toThrow(/never fires/);
  });

  it("throws when a schedule can never fire", () => {
    expect(() => nextFireTime("cron(0 0 30 FEB ? *)", at("2026-01-01T00:00:00.000Z"))).toThrow(/never fires/);
  });

  it.each([
    ["five fields", "cron(0 12 * * ?)", /six fields/],
    ["both day fields set", "cron(0 12 * * * *)", /exactly one of day-of-month and day-of-week/],
    ["both day fields ?", "cron(0 12 ? * ? *)", /exactly one of day-of-month and day-of-week/],
    ["L", "cron(0 12 L * ? *)", /L, W or #/],
    ["W", "cron(0 12 15W * ? *)", /L, W or #/],
    ["#", "cron(0 12 ? * 2#1 *)", /L, W or #/],
    ["a minute out of range", "cron(60 12 * * ? *)", /outside 0-59/],
    ["a backwards range", "cron(0 17-9 * * ? *)", /backwards/],
    ["? outside the day fields", "cron(? 12 * * ? *)", /cannot be "\?"/],
    ["an unknown name", "cron(0 12 ? * FUN *)", /unknown value "FUN"/],
    ["a zero step", "cron(*/0 12 * * ? *)", /invalid step/],
    ["something else", "every 5 minutes", /not a schedule expression/],
  ])("rejects %s", (_, expression, message) => {
    expect(() => nextFireTime(expression, new Date())).toThrow(ScheduleExpressionError);
    expect(() => nextFireTime(expression, new Date())).toThrow(message);
  });
});
