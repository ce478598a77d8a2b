/**
 * `npm start`: the whole hub on this machine. DynamoDB Local (data kept in
 * .local/, so it survives restarts), the SQS and SES emulators, and every
 * function of the wiring table behind a local API Gateway on PORT (4000),
 * and sandbox Shopify and WooCommerce platforms to point storefronts at
 * (SHOPIFY_SANDBOX_PORT 4010, WOOCOMMERCE_SANDBOX_PORT 4011; --no-sandbox
 * leaves them out). HUB_CART_SWEEP_SECONDS=n also runs the abandoned-cart
 * sweep every n seconds, on top of its schedule (every 5 minutes).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { LocalStackError, startDynamoDbLocal, startSesEmulator, startSqsEmulator, assertPortFree, type Emulator } from "./emulators";
import { startLocalStack, type LocalStack } from "./stack";
import { REPO_ROOT } from "./invoke";
import { LOCAL_TABLE_NAME, LOCAL_DYNAMODB_PORT } from "./defaults";
import { SANDBOX_CREDENTIALS, SANDBOX_DEFAULT_PORTS, SANDBOX_PRODUCT, startSandboxPlatforms, type SandboxPlatforms } from "./sandbox-platforms";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    "data-dir": { type: "string" },
    quiet: { type: "boolean", default: false },
    seed: { type: "boolean", default: false },
    "no-sandbox": { type: "boolean", default: false },
  },
});

const port = Number(args.port ?? process.env.PORT ?? 4000);
const dynamodbPort = Number(process.env.DYNAMODB_PORT ?? LOCAL_DYNAMODB_PORT);
const sqsPort = Number(process.env.SQS_PORT ?? 9324);
const sesPort = Number(process.env.SES_PORT ?? 8005);
const sandboxPorts = {
  shopify: Number(process.env.SHOPIFY_SANDBOX_PORT ?? SANDBOX_DEFAULT_PORTS.shopify),
  woocommerce: Number(process.env.WOOCOMMERCE_SANDBOX_PORT ?? SANDBOX_DEFAULT_PORTS.woocommerce),
};
const cartSweepSeconds = Number(process.env.HUB_CART_SWEEP_SECONDS ?? 0);
const dataDir = args["data-dir"] ?? process.env.HUB_DATA_DIR ?? join(REPO_ROOT, ".local");

function log(message: string, detail?: Record<string, unknown>): void {
  if (args.quiet && message === "http") return;
  // The extra cart sweeps would log every few seconds.
  if (cartSweepSeconds > 0 && message === "scheduled run finished" && detail?.function === "cart-schedule") return;
  console.log(JSON.stringify({ level: "INFO", source: "local-stack", message, ...detail, timestamp: new Date().toISOString() }));
}

/** The local stand-in for the KMS key: 32 random bytes, made once and kept with the data. */
function ensureCredentialsKey(): string {
  const file = join(dataDir, "credentials.key");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  return file;
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  await assertPortFree(port, "the hub's API", "PORT");
  const emulators: Emulator[] = [];
  let sandboxes: SandboxPlatforms | undefined;
  const stopAll = async () => {
    await Promise.allSettled([...emulators.map((emulator) => emulator.stop()), sandboxes?.stop()]);
  };
  let stack: LocalStack;
  let adminKeyLine: string;
  try {
    if (!args["no-sandbox"]) sandboxes = await startSandboxes();
    emulators.push(await startDynamoDbLocal({ port: dynamodbPort, dataDir: join(dataDir, "dynamodb") }));
    emulators.push(await startSqsEmulator({ port: sqsPort, dataDir: join(dataDir, "sqs") }));
    emulators.push(await startSesEmulator({ port: sesPort }));
    const [dynamodb, sqs, ses] = emulators as [Emulator, Emulator, Emulator];
    stack = await startLocalStack({
      endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, ses: ses.endpoint },
      tableName: LOCAL_TABLE_NAME,
      queuePrefix: "ocean-commerce-hub",
      port,
      credentialsKeyFile: ensureCredentialsKey(),
      runSchedules: true,
      streamPositionsFile: join(dataDir, "stream-positions.json"),
      log,
    });
    adminKeyLine = await ensureLocalAdminKey();
    if (args.seed) {
      const { loadSampleDataInto } = await import("../tools/sample-data");
      const summary = await loadSampleDataInto(stack.url);
      log("sample data loaded", { created: summary.created, unchanged: summary.unchanged });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const [dynamodb, sqs, ses] = emulators as [Emulator, Emulator, Emulator];
  const sweep = cartSweepSeconds > 0 ? startCartSweep(stack, cartSweepSeconds) : undefined;

  console.log(`
Ocean Commerce Hub is running.
  API ............ ${stack.url}/api/ecommerce/storefronts
  API docs ....... ${stack.url}/docs   (OpenAPI: ${stack.url}/openapi.json)
  DynamoDB Local . ${dynamodb.endpoint}   table ${LOCAL_TABLE_NAME} (data in ${dataDir})
  SQS emulator ... ${sqs.endpoint}
  SES emulator ... ${ses.endpoint}   (sent emails: ${ses.endpoint}/store)
${sandboxLines(sandboxes, args["no-sandbox"])}  ${adminKeyLine}
Press Ctrl-C to stop.
`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log("Stopping…");
    if (sweep) clearInterval(sweep);
    await stack.stop();
    await stopAll();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

let sandboxSkipped: string | undefined;

/**
 * The sandboxes are a convenience: when a default port is taken (another hub
 * running, say), the hub starts without them and says why. A port chosen
 * through the environment must be free.
 */
async function startSandboxes(): Promise<SandboxPlatforms | undefined> {
  try {
    return await startSandboxPlatforms(sandboxPorts);
  } catch (error) {
    const chosen = process.env.SHOPIFY_SANDBOX_PORT !== undefined || process.env.WOOCOMMERCE_SANDBOX_PORT !== undefined;
    if (chosen || !(error instanceof LocalStackError)) throw error;
    sandboxSkipped = error.message;
    return undefined;
  }
}

function sandboxLines(sandboxes: SandboxPlatforms | undefined, leftOut: boolean | undefined): string {
  if (!sandboxes) return leftOut ? "" : `  Sandboxes ...... not started: ${sandboxSkipped}\n`;
  const { shopifyAccessToken, wooCommerceConsumerKey, wooCommerceConsumerSecret } = SANDBOX_CREDENTIALS;
  const product = `product ${SANDBOX_PRODUCT.id}, SKU ${SANDBOX_PRODUCT.sku}`;
  return (
    `  Shopify sandbox  ${sandboxes.shopify.endpoint}   (access token ${shopifyAccessToken}; ${product})\n` +
    `  Woo sandbox .... ${sandboxes.woocommerce.endpoint}   (consumer key ${wooCommerceConsumerKey}, secret ${wooCommerceConsumerSecret}; ${product})\n`
  );
}

/** The abandoned-cart sweep every few seconds as well, so that trying recovery out locally needs no 5-minute wait. */
function startCartSweep(stack: LocalStack, seconds: number): NodeJS.Timeout {
  log("cart sweep", { every_seconds: seconds });
  const timer = setInterval(() => {
    // fire() refuses while a run (the scheduled one, or the previous tick's) is still going: the next tick tries again.
    stack.scheduler.fire("cart-schedule").catch(() => undefined);
  }, seconds * 1000);
  timer.unref();
  return timer;
}

/** HUB_ADMIN_KEY from the environment is an admin key; without it, one is made on first start and shown once. */
async function ensureLocalAdminKey(): Promise<string> {
  const { issueApiKey } = await import("../../shared/domain/api-keys");
  const { listApiKeys } = await import("../../shared/data/api-keys");
  const fromEnv = process.env.HUB_ADMIN_KEY;
  if (fromEnv) {
    await issueApiKey({ name: "local admin (HUB_ADMIN_KEY)", role: "admin", storefrontIds: null, token: fromEnv });
    return "Admin key .... HUB_ADMIN_KEY from the environment";
  }
  const marker = join(dataDir, "admin-key-issued");
  const existing = (await listApiKeys()).some((key) => key.name === "local admin" && !key.revoked_at);
  if (existing && existsSync(marker)) {
    return `Admin key .... created on first start (key id ${readFileSync(marker, "utf8").trim()}); make more with npm run apikey -- create`;
  }
  const issued = await issueApiKey({ name: "local admin", role: "admin", storefrontIds: null });
  writeFileSync(marker, issued.record.key_id);
  return `Admin key .... ${issued.token}\n                 (shown once: keep it, e.g. export HUB_KEY=${issued.token})`;
}

main().catch((error: unknown) => {
  if (error instanceof LocalStackError) {
    console.error(`\nCannot start the hub: ${error.message}\n`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
