/**
 * One bash shell that runs blocks of commands one after the other, as a
 * reader pastes them into one terminal: variables set by a block stay set
 * for the next. Blocks arrive on file descriptor 3, so the commands' own
 * standard input is empty.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";

const END = "\x1e";
const LOOP = `while IFS= read -r -d '' __block <&3; do eval "$__block"; printf '\\n${END}%s\\n' "$?"; done`;

export interface BlockResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class BashSession {
  private readonly child: ChildProcess;
  private stdout = "";
  private stderr = "";

  constructor(options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.child = spawn("bash", ["-c", LOOP], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Runs one block; rejects when it has not finished within `timeoutMs`. */
  async run(block: string, timeoutMs = 60_000): Promise<BlockResult> {
    this.stdout = "";
    this.stderr = "";
    (this.child.stdio[3] as Writable).write(`${block}\0`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = /\n\x1e(\d+)\n$/.exec(this.stdout);
      if (end) return { exitCode: Number(end[1]), stdout: this.stdout.slice(0, end.index), stderr: this.stderr };
      if (this.child.exitCode !== null) throw new Error(`bash exited (${this.child.exitCode}):\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`the block did not finish within ${timeoutMs} ms:\n${block}\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}
