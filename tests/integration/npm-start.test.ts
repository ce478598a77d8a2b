/**
 * `npm start` as a newcomer runs it: the real command, its own emulators on
 * their own ports and a data folder that survives a restart.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/emulators";
import { REPO_ROOT } from "../../infra/local/invoke";

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs"), "infra/local/start.ts", "--quiet"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { child, output: () => text, exited };
}

async function waitFor(running: Running, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = running.output().match(pattern);
    if (match) return match;
    if (running.child.exitCode !== null) throw new Error(`npm start exited early:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern}:\n${running.output()}`);
}

async function ports() {
  return { PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()), SQS_PORT: String(await freePort()), SES_PORT: String(await freePort()) };
}

describe("npm start", () => {
  it("serves the API with a printed admin key, and keeps data across a restart", async () => {
    const env = { ...(await ports()), HUB_DATA_DIR: mkdtempSync(join(tmpdir(), "hub-start-")) };
    delete (process.env as Record<string, string | undefined>).HUB_ADMIN_KEY;
    const first = start(env);
    const [, key] = await waitFor(first, /Admin key \.+ (och_\S+)/);
    await waitFor(first, /Press Ctrl-C to stop/);
    const api = `http://127.0.0.1:${env.PORT}/api/ecommerce/storefronts`;

    expect((await fetch(api)).status).toBe(401);
    const created = await fetch(api, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ storefront_code: "KEEP-ME", storefront_name: "Kept", platform_type: "shopify", api_key: "shpat_restart_secret_9999" }),
    });
    expect(created.status).toBe(201);

    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);

    const second = start(env);
    await waitFor(second, /Press Ctrl-C to stop/);
    expect(second.output()).toMatch(/created on first start/);
    expect(second.output()).not.toContain(key!);
    const read = await fetch(`${api}/KEEP-ME`, { headers: { authorization: `Bearer ${key}` } });
    expect(read.status).toBe(200);
    const body = (await read.json()) as { storefront: { credentials: { api_key: unknown } } };
    expect(body.storefront.credentials.api_key).toEqual({ is_set: true, last4: "9999" });
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  }, 120_000);

  it("accepts HUB_ADMIN_KEY as an admin key", async () => {
    const env = { ...(await ports()), HUB_DATA_DIR: mkdtempSync(join(tmpdir(), "hub-start-")), HUB_ADMIN_KEY: "local-dev-admin-key" };
    const running = start(env);
    await waitFor(running, /Press Ctrl-C to stop/);
    const response = await fetch(`http://127.0.0.1:${env.PORT}/api/ecommerce/storefronts`, { headers: { authorization: "Bearer local-dev-admin-key" } });
    expect(response.status).toBe(200);
    running.child.kill("SIGINT");
    expect(await running.exited).toBe(0);
  }, 120_000);

  it("fails with a clear message when the API port is taken", async () => {
    const env = { ...(await ports()), HUB_DATA_DIR: mkdtempSync(join(tmpdir(), "hub-start-")) };
    const blocker = createServer().listen(Number(env.PORT), "127.0.0.1");
    try {
      const running = start(env);
      expect(await running.exited).toBe(1);
      expect(running.output()).toContain(`Port ${env.PORT} (the hub's API) is already in use. Stop what holds it, or set PORT to another port.`);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it("fails with a clear message when Java is missing", async () => {
    const env = { ...(await ports()), HUB_DATA_DIR: mkdtempSync(join(tmpdir(), "hub-start-")), PATH: join(REPO_ROOT, "node_modules/.bin") };
    const running = start(env);
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain("Java was not found");
  }, 60_000);
});
