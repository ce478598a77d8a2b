/**
 * The README's walk-through, run as written: `npm start` (the real start
 * script, with the environment and arguments of the README's start line,
 * `-- --seed` included: the sample data loaded first, as on a fresh clone
 * after `npm start -- --seed`; its own free ports and an empty data folder),
 * then every ```sh block of the section in order with bash, each answer
 * compared with the one the README shows (conventions in
 * tests/support/readme-walkthrough.ts). Changing a shown answer, or breaking
 * what a command calls, fails this test.
 *
 * README_WALKTHROUGH_SEED=0 runs the same blocks on an empty hub (the start
 * line without --seed): the walk-through must give the same answers there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/emulators";
import { REPO_ROOT } from "../../infra/local/invoke";
import { BashSession } from "../support/bash-session";
import { answerMismatches, jsonMismatches, parseWalkthrough, sectionOf, textMismatches, withPorts, type Step } from "../support/readme-walkthrough";

/** The ports the README shows, by the variable that moves each. */
const DEFAULT_PORTS = { PORT: 4000, SHOPIFY_SANDBOX_PORT: 4010, WOOCOMMERCE_SANDBOX_PORT: 4011, SES_PORT: 8005, DYNAMODB_PORT: 8000, SQS_PORT: 9324 } as const;
/** Reads are run again until their answer matches: stream processors and queue workers need a moment. */
const READ_RETRY_MS = 15_000;

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const section = sectionOf(readme, "Walk-through");
const walkthrough = parseWalkthrough(section.text, section.firstLine);
/** Whether to start as the README's start line says (with its --seed), or on an empty hub. */
const seeded = process.env.README_WALKTHROUGH_SEED !== "0";
const startArgs = seeded ? walkthrough.startArgs : walkthrough.startArgs.filter((arg) => arg !== "--seed");

let hub: ChildProcess | undefined;
let hubOutput = "";
let portMap: Record<number, number> = {};
let workDir: string;
let shell: BashSession | undefined;

async function startHub(): Promise<void> {
  const ports = Object.fromEntries(await Promise.all(Object.keys(DEFAULT_PORTS).map(async (name) => [name, String(await freePort())])));
  portMap = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, port]) => [port, Number(ports[name])]));
  const env: Record<string, string | undefined> = { ...process.env, ...walkthrough.startEnv, ...ports, HUB_DATA_DIR: join(workDir, "data") };
  const child = spawn(process.execPath, [join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs"), "infra/local/start.ts", "--quiet", ...startArgs], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  hub = child;
  child.stdout!.on("data", (chunk: Buffer) => (hubOutput += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (hubOutput += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!hubOutput.includes("Press Ctrl-C to stop")) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${hubOutput}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${hubOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (startArgs.includes("--seed") && !hubOutput.includes('"message":"sample data loaded"')) throw new Error(`npm start -- --seed did not load the sample data:\n${hubOutput}`);
}

/** Runs one block in the shared shell (variables carry over, as in one terminal); fails on a non-zero exit. */
async function runStep(step: Step): Promise<string> {
  const result = await shell!.run(withPorts(step.script, portMap));
  if (result.exitCode !== 0) {
    throw new Error(`README line ${step.line}: the block failed (exit ${result.exitCode}):\n${step.script}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result.stdout;
}

const isRead = (script: string) => !/(^|\s)-X\s/.test(script) && !/\bnpm run\b/.test(script);

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "hub-walkthrough-"));
  await startHub();
  shell = new BashSession({ cwd: REPO_ROOT, env: { ...process.env, PATH: [join(REPO_ROOT, "node_modules/.bin"), process.env.PATH].join(delimiter) } });
}, 120_000);

afterAll(async () => {
  shell?.close();
  if (hub && hub.exitCode === null) {
    const exited = new Promise((done) => hub!.once("exit", done));
    hub.kill("SIGINT");
    const stopped = await Promise.race([exited.then(() => true), new Promise((done) => setTimeout(() => done(false), 15_000))]);
    if (!stopped) hub.kill("SIGKILL");
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 30_000);

describe("the README walk-through", () => {
  it("starts as the issue's acceptance says: npm start -- --seed", () => {
    expect(walkthrough.startArgs).toContain("--seed");
    expect(walkthrough.startEnv).toMatchObject({ HUB_ADMIN_KEY: expect.any(String), HUB_CART_SWEEP_SECONDS: expect.any(String) });
  });

  it("shows answers for the specification's steps", () => {
    expect(walkthrough.steps.length).toBeGreaterThanOrEqual(10);
    expect(walkthrough.steps.filter((step) => step.answer).length).toBeGreaterThanOrEqual(10);
    for (const path of ["/storefronts", "/products", "/orders", "/inventory/sync", "/analytics", "/carts/abandoned", "/carts/abandoned/recover", "/webhooks/orders"]) {
      expect(section.text).toContain(`/api/ecommerce${path}`);
    }
    expect(section.text).toContain("npm run send-webhook");
    expect(section.text).toContain("openssl dgst");
  });

  it("gives, block by block, the answers it shows", async () => {
    for (const step of walkthrough.steps) {
      const answer = step.answer && { ...step.answer, body: withPorts(step.answer.body, portMap) };
      const retryUntil = Date.now() + (answer && isRead(step.script) ? READ_RETRY_MS : 0);
      for (;;) {
        const output = await runStep(step);
        const problems = answer ? answerMismatches(output, answer) : [];
        if (problems.length === 0) break;
        if (Date.now() > retryUntil) {
          throw new Error(`README line ${step.line}: the answer differs from the one shown:\n${problems.join("\n")}\n--- command\n${step.script}\n--- output\n${output.slice(0, 3000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }, 120_000);
});

describe("comparing answers", () => {
  it("accepts a subset with placeholders and refuses a changed value", () => {
    const shown = { storefront: { storefront_id: 1, created_at: "…", code: "SHOP-…", "…": "…" }, list: ["a", "…"] };
    expect(jsonMismatches({ storefront: { storefront_id: 1, created_at: "2024-01-01", code: "SHOP-1", more: true }, list: ["a", "b"] }, shown)).toEqual([]);
    expect(jsonMismatches({ storefront: { storefront_id: 2, created_at: "x", code: "SHOP-1" }, list: ["a"] }, shown)).toEqual(["$.storefront.storefront_id: expected 1, got 2"]);
    expect(jsonMismatches({ storefront: { storefront_id: 1, created_at: "x", code: "OTHER" }, list: [] }, shown)).toHaveLength(2);
    expect(jsonMismatches({ items: [1, 2] }, { items: [1] })).toEqual(["$.items: expected 1 items, got 2"]);
    expect(jsonMismatches({}, { missing: "…" })).toEqual(["$.missing: missing"]);
  });

  it("reads the start line's environment and arguments", () => {
    const parsed = parseWalkthrough("```bash\nHUB_ADMIN_KEY=k HUB_CART_SWEEP_SECONDS=5 npm start -- --seed\n```\n\n```sh\necho hi\n```\n\n```text\nhi\n```\n");
    expect(parsed.startEnv).toEqual({ HUB_ADMIN_KEY: "k", HUB_CART_SWEEP_SECONDS: "5" });
    expect(parsed.startArgs).toEqual(["--seed"]);
    expect(parsed.steps).toEqual([{ line: 5, script: "echo hi\n", answer: { kind: "text", body: "hi\n" } }]);
  });

  it("finds shown text lines in order", () => {
    expect(textMismatches("> npm banner\nPOST http://x/a -> 202 {\"id\":\"q\"}\n", "POST http://x/a -> 202 {\"id\":\"…\"}")).toEqual([]);
    expect(textMismatches("POST http://x/a -> 401 {}", "POST http://x/a -> 202 …")).toHaveLength(1);
  });
});
