/**
 * The AWS emulators the local stack and the integration tests run against:
 * DynamoDB Local (AWS's own jar, shipped inside an npm package), fauxqs for
 * SQS and aws-ses-v2-local for SES. Nothing is downloaded at run time.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";

const require = createRequire(import.meta.url);

export interface Emulator {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export class LocalStackError extends Error {}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Fails with a clear message when something already listens on the port. */
export async function assertPortFree(port: number, what: string, envVar?: string): Promise<void> {
  const remedy = envVar ? `Stop what holds it, or set ${envVar} to another port.` : "Stop what holds it.";
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new LocalStackError(error.code === "EADDRINUSE" ? `Port ${port} (${what}) is already in use. ${remedy}` : `Cannot listen on port ${port} (${what}): ${error.message}`)),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolveFree()));
  });
}

function dynamoDbLocalDir(): string {
  return join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
}

export function assertJavaAvailable(): void {
  const result = spawnSync("java", ["-version"], { stdio: "ignore" });
  if (result.error || result.status !== 0) {
    throw new LocalStackError("Java was not found. DynamoDB Local needs a Java runtime (17 or newer) on PATH: install one (for example `apt-get install -y default-jre-headless`) and try again.");
  }
}

async function waitForHttp(url: string, child: ChildProcess | undefined, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new LocalStackError(`${what} exited with code ${child.exitCode} while starting`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new LocalStackError(`${what} did not start within ${timeoutMs / 1000} s`);
}

/** DynamoDB Local with Streams. With `dataDir` the data survives restarts; without, it is in memory. */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<Emulator> {
  assertJavaAvailable();
  await assertPortFree(options.port, "DynamoDB Local", "DYNAMODB_PORT");
  const dir = dynamoDbLocalDir();
  const storage = options.dataDir ? ["-dbPath", options.dataDir] : ["-inMemory"];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    "java",
    [`-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`, "-Xmx1g", "-jar", join(dir, "DynamoDBLocal.jar"), ...storage, "-port", String(options.port)],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(endpoint, child, "DynamoDB Local");
  } catch (error) {
    child.kill("SIGKILL");
    throw new LocalStackError(`${(error as Error).message}\n${stderr}`);
  }
  return {
    endpoint,
    port: options.port,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

/** The SQS emulator, embedded in this process. */
export async function startSqsEmulator(options: { port: number; dataDir?: string }): Promise<Emulator> {
  await assertPortFree(options.port, "SQS emulator", "SQS_PORT");
  const { startFauxqs } = await import("fauxqs");
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = await startFauxqs({ port: options.port, host: "127.0.0.1", logger: false, dataDir: options.dataDir });
  return { endpoint: `http://127.0.0.1:${server.port}`, port: server.port, stop: () => server.stop() };
}

/** The SES emulator; GET <endpoint>/store lists every email sent. */
export async function startSesEmulator(options: { port: number }): Promise<Emulator> {
  await assertPortFree(options.port, "SES emulator", "SES_PORT");
  const { default: startServer } = (await import("aws-ses-v2-local")) as unknown as { default: (config: { host: string; port: number }) => Promise<Server> };
  const server = await startServer({ host: "127.0.0.1", port: options.port });
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    port: options.port,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}
