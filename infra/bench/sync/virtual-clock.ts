/**
 * Throttle waits on a clock shared by two processes: the connector (in the
 * measured child) and the Shopify simulator (in the suite's process). A wait
 * is not slept: the child asks the suite to move time on by the wait, and both
 * clocks then read real time plus the same offset. The simulator's bucket
 * refills by exactly what the connector waited, plus the real time elapsed,
 * so standard-plan throttling is exercised in full without hours of sleep.
 */
import type { ChildProcess } from "node:child_process";
import type { Clock } from "../../../shared/connectors/http-retry";

type ClockMessage = { type: "advance"; ms: number } | { type: "advanced" };

/** The suite's side: the simulator reads `now`; `serve` answers a child's requests to advance. */
export class VirtualTime {
  private offsetMs = 0;

  readonly now = (): number => Date.now() + this.offsetMs;

  get skippedMs(): number {
    return this.offsetMs;
  }

  /** Handles the clock messages of `child`; true when `message` was one. */
  serve(child: ChildProcess, message: unknown): boolean {
    const clock = message as ClockMessage;
    if (clock?.type !== "advance") return false;
    this.offsetMs += clock.ms;
    child.send({ type: "advanced" } satisfies ClockMessage);
    return true;
  }
}

/** The child's side: a Clock for the connector whose sleep moves both processes' time on, instantly. */
export function virtualClock(): Clock {
  let offsetMs = 0;
  const waiting: (() => void)[] = [];
  process.on("message", (message) => {
    if ((message as ClockMessage)?.type === "advanced") waiting.shift()?.();
  });
  return {
    now: () => Date.now() + offsetMs,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        waiting.push(() => {
          offsetMs += ms;
          resolve();
        });
        process.send!({ type: "advance", ms } satisfies ClockMessage);
      }),
  };
}
