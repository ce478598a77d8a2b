/**
 * Local stand-in for EventBridge scheduled rules: fires each scheduled
 * function on its `rate(...)`/`cron(...)` expression with the Scheduled Event
 * that EventBridge sends.
 *
 * Unlike EventBridge, a run that is still going when the next one is due is
 * skipped (and logged) rather than started alongside it: locally everything
 * shares one process, and overlapping runs of a slow job only pile up.
 */
import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import type { FunctionSpec } from "../wiring";
import { invoke, type LoadedHandler } from "./invoke";
import { nextFireTime } from "./schedule-expression";

export interface Scheduler {
  /** Ends the timers. `fire` keeps working, so a stopped scheduler serves manual triggers alone. */
  stop(): void;
  /** Fires the function now (for tests and for `npm start`'s manual trigger); rejects while its previous run is still going. */
  fire(name: string): Promise<unknown>;
}

export interface ScheduledJob {
  spec: FunctionSpec;
  handler: LoadedHandler;
}

export interface SchedulerOptions {
  jobs: ScheduledJob[];
  /** The wall clock; tests inject their own. */
  now?: () => Date;
  log: (message: string, detail?: Record<string, unknown>) => void;
}

/**
 * Timers wake at least this often to compare the due time with the clock
 * again, so that a clock that jumps (a laptop waking from sleep, an injected
 * test clock) is noticed instead of trusting one long timeout.
 */
const MAX_SLEEP_MS = 1000;

const ACCOUNT_ID = "000000000000";

export function startScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? (() => new Date());
  const { log } = options;
  const region = process.env.AWS_REGION ?? "us-east-1";
  const running = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const jobs = new Map(options.jobs.map((job) => [job.spec.name, { ...job, expression: scheduleExpressionOf(job.spec) }]));
  // Compute every first run before arming any timer, so that one invalid expression fails the start as a whole.
  const firstRuns = [...jobs.values()].map((job) => ({ job, due: nextFireTime(job.expression, now()) }));

  async function run(job: ScheduledJob, time: Date): Promise<unknown> {
    running.add(job.spec.name);
    const started = Date.now();
    try {
      return await invoke(job.spec, job.handler, scheduledEvent(job.spec, time, region));
    } finally {
      running.delete(job.spec.name);
      log("scheduled run finished", { function: job.spec.name, time: isoSeconds(time), ms: Date.now() - started });
    }
  }

  function arm(job: ScheduledJob & { expression: string }, due: Date): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      const current = now();
      if (current < due) return arm(job, due);
      if (running.has(job.spec.name)) {
        log("scheduled run skipped: the previous run is still going", { function: job.spec.name, time: isoSeconds(due) });
      } else {
        run(job, due).catch((error: unknown) => log("scheduled run failed", { function: job.spec.name, error: String(error) }));
      }
      // Runs missed while the clock jumped ahead are not made up: EventBridge does not replay them either.
      const next = nextFireTime(job.expression, due);
      arm(job, next > current ? next : nextFireTime(job.expression, current));
    }, Math.min(MAX_SLEEP_MS, Math.max(0, due.getTime() - now().getTime())));
    // Timers alone should not keep the process (or a test worker) alive.
    timer.unref();
    timers.add(timer);
  }

  for (const { job, due } of firstRuns) {
    arm(job, due);
    log("schedule armed", { function: job.spec.name, expression: job.expression, next: isoSeconds(due) });
  }

  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    async fire(name) {
      const job = jobs.get(name);
      if (!job) throw new Error(`No scheduled function is named "${name}" (known: ${[...jobs.keys()].join(", ") || "none"})`);
      if (running.has(name)) throw new Error(`${name} is still running; try again when it has finished`);
      return run(job, now());
    },
  };
}

function scheduleExpressionOf(spec: FunctionSpec): string {
  if (spec.trigger.type !== "schedule") throw new Error(`${spec.name} is not a scheduled function (its trigger is ${spec.trigger.type})`);
  return spec.trigger.expression;
}

/** The event an EventBridge scheduled rule sends to its target. */
function scheduledEvent(spec: FunctionSpec, time: Date, region: string): ScheduledEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: ACCOUNT_ID,
    time: isoSeconds(time),
    region,
    resources: [`arn:aws:events:${region}:${ACCOUNT_ID}:rule/ocean-commerce-hub-${spec.name}`],
    detail: {},
  };
}

/** EventBridge timestamps have whole seconds: 2024-05-01T06:00:00Z. */
function isoSeconds(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}
