/**
 * Time: local days and hours of a storefront's time zone, and the clock that
 * samples when its orders are placed.
 */
import type { Random } from "./random";
import { GROWTH, HOUR_SHAPE, WEEKDAY_SHAPE } from "./shape";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();
function localParts(timeZone: string, at: number) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short" });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday!) };
}

/** The instant of a local wall-clock time in `timeZone`. */
function zonedInstant(timeZone: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const seen = localParts(timeZone, wall);
  const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second) - wall;
  return wall - offset;
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** Samples order times over the last `days` local days: weekday and hour-of-day shape, a gentle growth. */
export function orderClock(timeZone: string, days: number, now: number) {
  const localDays: LocalDay[] = [];
  const weights: number[] = [];
  for (let index = 0; index < days; index++) {
    const parts = localParts(timeZone, now - (days - 1 - index) * DAY_MS);
    localDays.push(parts);
    weights.push((1 + ((GROWTH - 1) * index) / Math.max(1, days - 1)) * WEEKDAY_SHAPE[parts.weekday]!);
  }
  const dayEntries = localDays.map((day, index) => [day, weights[index]!] as const);
  const hourEntries = HOUR_SHAPE.map((weight, hour) => [hour, weight] as const);
  return (random: Random): number => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const day = random.weighted(dayEntries);
      const at = zonedInstant(timeZone, day.year, day.month, day.day, random.weighted(hourEntries), random.int(0, 59), random.int(0, 59));
      if (at < now) return at;
    }
    return now - random.int(1, 120) * 60_000;
  };
}

export const iso = (ms: number) => new Date(ms).toISOString();
