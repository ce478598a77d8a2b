/** Starts the sync child (child.ts) with the bench's own Node and loader, serves its clock, and returns its result. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { SyncChildInput, SyncChildMessage, SyncChildResult } from "./child";
import type { VirtualTime } from "./virtual-clock";

const CHILD = join(import.meta.dirname, "child.ts");

/** `onReady` runs when the child has created its storefront, just before the sync starts. */
export function runSyncInChild(input: SyncChildInput, time: VirtualTime, onReady: () => void): Promise<SyncChildResult> {
  // --expose-gc: a full GC before the memory baseline, so that the baseline is what is live, not what is left over.
  const child = spawn(process.execPath, [...process.execArgv, "--expose-gc", CHILD, JSON.stringify(input)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let outcome: SyncChildMessage | undefined;
    child.on("message", (message) => {
      if (time.serve(child, message)) return;
      if ((message as SyncChildMessage).type === "ready") onReady();
      else outcome = message as SyncChildMessage;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (outcome?.type === "result") resolve(outcome.result);
      else reject(new Error(outcome?.type === "failed" ? `the sync failed: ${outcome.error}` : `the sync process ended (code ${code}) without a result`));
    });
  });
}
