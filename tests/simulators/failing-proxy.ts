/**
 * A loopback proxy in front of a platform simulator that answers chosen
 * requests with an error instead of passing them on: a page that fails, then
 * (after `times` failures) passes again.
 */
import { startJsonServer, type RunningServer } from "../../infra/local/platforms/http-server";

export interface FailureRule {
  /** Matched against "METHOD /path?query". */
  matches: (request: string) => boolean;
  status: number;
  body: unknown;
  /** Failures before the request passes again. */
  times: number;
}

export class FailingProxy {
  readonly failed: string[] = [];
  private rules: FailureRule[] = [];
  private server: RunningServer | undefined;

  constructor(private readonly target: string) {}

  get url(): string {
    if (!this.server) throw new Error("The proxy is not started");
    return this.server.url;
  }

  fail(rule: FailureRule): void {
    this.rules.push({ ...rule });
  }

  /** Every request passes from now on. */
  heal(): void {
    this.rules = [];
  }

  async start(): Promise<this> {
    this.server = await startJsonServer(async (request) => {
      const line = `${request.method} ${request.url.pathname}${request.url.search}`;
      const rule = this.rules.find((candidate) => candidate.times > 0 && candidate.matches(line));
      if (rule) {
        rule.times -= 1;
        this.failed.push(line);
        return { status: rule.status, body: rule.body };
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string" && name !== "host" && name !== "content-length") headers[name] = value;
      const response = await fetch(`${this.target}${request.url.pathname}${request.url.search}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const passed: Record<string, string> = {};
      for (const name of ["x-wp-total", "x-wp-totalpages", "retry-after"]) {
        const value = response.headers.get(name);
        if (value !== null) passed[name] = value;
      }
      return { status: response.status, body: await response.json(), headers: passed };
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
