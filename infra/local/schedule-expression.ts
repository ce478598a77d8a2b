/**
 * EventBridge schedule expressions, evaluated in UTC as EventBridge rules are:
 * - `rate(value unit)`: unit minute(s), hour(s) or day(s); singular for 1 and
 *   plural otherwise, as EventBridge insists (`rate(1 hours)` is rejected there).
 * - `cron(minutes hours day-of-month month day-of-week year)`: numbers, `*`,
 *   lists `a,b`, ranges `a-b`, steps `*\/n`, `a/n` and `a-b/n`, month names
 *   JAN-DEC and day names SUN-SAT (day-of-week 1-7 is SUN-SAT). One of
 *   day-of-month and day-of-week must be `?`. `L`, `W` and `#` are not
 *   supported here and are rejected with a clear message.
 */

export class ScheduleExpressionError extends Error {}

/** The first time the schedule fires strictly after `after`. Throws on an invalid expression. */
export function nextFireTime(expression: string, after: Date): Date {
  const trimmed = expression.trim();
  if (trimmed.startsWith("rate(")) return nextRateTime(parseRate(trimmed), after);
  if (trimmed.startsWith("cron(")) return nextCronTime(parseCron(trimmed), after, expression);
  throw new ScheduleExpressionError(`"${expression}" is not a schedule expression: use rate(...) or cron(...)`);
}

// ---------------------------------------------------------------------------
// rate(...)

const MINUTE_MS = 60_000;
const UNIT_MS: Record<string, number> = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS };

function parseRate(expression: string): number {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression);
  if (!match) throw new ScheduleExpressionError(`"${expression}" is not a valid rate expression, e.g. rate(5 minutes) or rate(1 day)`);
  const value = Number(match[1]);
  const unit = match[2]!;
  const plural = unit.endsWith("s");
  if (value < 1) throw new ScheduleExpressionError(`"${expression}": the rate must be a positive whole number`);
  if (value === 1 && plural) throw new ScheduleExpressionError(`"${expression}": use the singular unit for a value of 1, e.g. rate(1 ${unit.slice(0, -1)})`);
  if (value > 1 && !plural) throw new ScheduleExpressionError(`"${expression}": use the plural unit for a value above 1, e.g. rate(${value} ${unit}s)`);
  return value * UNIT_MS[plural ? unit.slice(0, -1) : unit]!;
}

/** EventBridge counts a rate from when the rule was created; locally, from the previous run (or the start). */
function nextRateTime(periodMs: number, after: Date): Date {
  return new Date(after.getTime() + periodMs);
}

// ---------------------------------------------------------------------------
// cron(...)

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Day fields accept `?` ("no specific value"). */
  allowsQuestionMark?: boolean;
}

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31, allowsQuestionMark: true },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  { name: "day-of-week", min: 1, max: 7, names: DAY_NAMES, allowsQuestionMark: true },
  { name: "year", min: 1970, max: 2199 },
];

/** Allowed values of one field; `undefined` when the field is `?`. */
type FieldValues = Set<number> | undefined;

interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: FieldValues;
  months: Set<number>;
  daysOfWeek: FieldValues;
  years: Set<number>;
}

function parseCron(expression: string): CronSchedule {
  const match = /^cron\((.*)\)$/.exec(expression);
  const parts = match ? match[1]!.trim().split(/\s+/) : [];
  if (parts.length !== FIELDS.length) {
    throw new ScheduleExpressionError(`"${expression}" must have six fields: cron(minutes hours day-of-month month day-of-week year)`);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = FIELDS.map((spec, index) => parseField(parts[index]!, spec, expression));
  if ((daysOfMonth === undefined) === (daysOfWeek === undefined)) {
    throw new ScheduleExpressionError(`"${expression}": exactly one of day-of-month and day-of-week must be "?"`);
  }
  return { minutes: minutes!, hours: hours!, daysOfMonth, months: months!, daysOfWeek, years: years! };
}

function parseField(text: string, spec: FieldSpec, expression: string): FieldValues {
  const fail = (why: string): never => {
    throw new ScheduleExpressionError(`"${expression}": ${spec.name} field "${text}" ${why}`);
  };
  if (text === "?") return spec.allowsQuestionMark ? undefined : fail('cannot be "?" (only day-of-month and day-of-week can)');
  if (/[LW#]/i.test(text.replace(/[A-Z]{3}/gi, (name) => (spec.names?.includes(name.toUpperCase()) ? "0" : name)))) {
    fail("uses L, W or #, which the local scheduler does not support");
  }
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const [rangeText, stepText, ...extra] = part.split("/");
    if (extra.length > 0 || rangeText === undefined || rangeText === "") fail("is not valid");
    const step = stepText === undefined ? 1 : parseStep(stepText, fail);
    let [from, to] = [spec.min, spec.max];
    if (rangeText !== "*") {
      const bounds = rangeText!.split("-");
      if (bounds.length > 2) fail("is not valid");
      from = parseValue(bounds[0]!, spec, fail);
      // `a/n` runs from a to the end of the field; a bare `a` is just a.
      to = bounds.length === 2 ? parseValue(bounds[1]!, spec, fail) : stepText === undefined ? from : spec.max;
      if (from > to) fail(`has a range that runs backwards (${bounds.join("-")})`);
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function parseStep(text: string, fail: (why: string) => never): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) fail("has an invalid step");
  return Number(text);
}

function parseValue(text: string, spec: FieldSpec, fail: (why: string) => never): number {
  const byName = spec.names?.indexOf(text.toUpperCase() as never) ?? -1;
  if (byName >= 0) return byName + 1;
  if (!/^\d+$/.test(text)) fail(`has an unknown value "${text}"`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) fail(`has ${value}, outside ${spec.min}-${spec.max}`);
  return value;
}

function nextCronTime(schedule: CronSchedule, after: Date, expression: string): Date {
  // Start at the first whole minute strictly after `after`, then skip forward by the coarsest field that does not match.
  let time = Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const lastYear = Math.max(...schedule.years);
  for (;;) {
    const at = new Date(time);
    const year = at.getUTCFullYear();
    const month = at.getUTCMonth();
    const day = at.getUTCDate();
    const hour = at.getUTCHours();
    if (year > lastYear) throw new ScheduleExpressionError(`"${expression}" never fires after ${after.toISOString()}`);
    if (!schedule.years.has(year)) time = Date.UTC(year + 1, 0, 1);
    else if (!schedule.months.has(month + 1)) time = Date.UTC(year, month + 1, 1);
    else if (!dayMatches(schedule, at)) time = Date.UTC(year, month, day + 1);
    else if (!schedule.hours.has(hour)) time = Date.UTC(year, month, day, hour + 1);
    else if (!schedule.minutes.has(at.getUTCMinutes())) time += MINUTE_MS;
    else return at;
  }
}

function dayMatches(schedule: CronSchedule, at: Date): boolean {
  if (schedule.daysOfMonth) return schedule.daysOfMonth.has(at.getUTCDate());
  // EventBridge numbers the days of the week 1 (Sunday) to 7 (Saturday).
  return schedule.daysOfWeek!.has(at.getUTCDay() + 1);
}
