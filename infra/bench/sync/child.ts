/**
 * The `sync` suite's measured process: one full product sync run (kind
 * "products", no cursor) of a storefront pointed at the Shopify simulator,
 * carried out by the sync worker's own carryOutRun (attempt, pull, progress per
 * page, cursor moved, run finished), with the connector's clock shared with
 * the simulator (virtual-clock.ts).
 * It runs alone in its process so that its memory is the sync's own: the
 * simulator and the local stack stay in the suite's process. The environment
 * (table, emulators, credentials key) is inherited from the suite.
 */
import { performance } from "node:perf_hooks";
import { documentClient } from "../../../shared/data/client";
import { connectorFor } from "../../../shared/connectors/connector";
import type { ShopifyCounters } from "../../../shared/connectors/shopify";
import { getStorefront, type StorefrontItem } from "../../../shared/data/storefronts";
import { createStorefront } from "../../../shared/domain/storefronts";
import { createStorefrontBody } from "../../../shared/schemas/storefront";
import { parseWith } from "../../../shared/schemas/parse";
import { insertRun, newRunRecord, type SyncProgress } from "../../../shared/data/sync-runs";
import { carryOutRun } from "../../../shared/sync/worker";
import { startMemorySampler, type MemoryFigures } from "./memory-peak";
import { virtualClock } from "./virtual-clock";

export interface SyncChildInput {
  /** The simulator's address and access token: the storefront is created here, through the domain, as POST /storefronts does. */
  shopUrl: string;
  accessToken: string;
  storefrontCode: string;
  runId: string;
  /** For progress messages only. */
  expected: number;
}

export interface SyncChildResult {
  wallMs: number;
  progress: SyncProgress;
  connector: ShopifyCounters;
  memory: MemoryFigures;
  /** DynamoDB requests the domain code sent through the shared document client, by command. */
  dynamodb: Record<string, number>;
}

/** `ready`: the storefront exists (its connection tested) and the sync starts. */
export type SyncChildMessage = { type: "ready" } | { type: "result"; result: SyncChildResult } | { type: "failed"; error: string };

const SAMPLE_INTERVAL_MS = 20;
const PROGRESS_EVERY = 1_000;

function countRequests(): Record<string, number> {
  const counts: Record<string, number> = {};
  documentClient.middlewareStack.add(
    (next, context) => (args) => {
      counts[context.commandName ?? "unknown"] = (counts[context.commandName ?? "unknown"] ?? 0) + 1;
      return next(args);
    },
    { step: "initialize", name: "benchSyncRequestCount" },
  );
  return counts;
}

const send = (message: SyncChildMessage) => new Promise<void>((done) => process.send!(message, () => done()));

async function main(input: SyncChildInput): Promise<SyncChildResult> {
  const admin = { keyId: "bench", role: "admin" as const, storefrontIds: null };
  const body = { storefront_code: input.storefrontCode, storefront_name: `Bench ${input.storefrontCode}`, platform_type: "shopify", default_currency: "USD" };
  const created = await createStorefront(
    parseWith(createStorefrontBody, { ...body, api_endpoint: input.shopUrl, api_token: input.accessToken, auto_sync_orders: false, auto_sync_customers: false }),
    admin,
  );
  const storefront = await getStorefront(created.storefront_id);
  if (storefront?.platform_type !== "shopify") throw new Error(`storefront ${created.storefront_id} is not a Shopify storefront`);
  await send({ type: "ready" });
  const dynamodb = countRequests();
  const memory = startMemorySampler(SAMPLE_INTERVAL_MS);
  const started = performance.now();

  const run = newRunRecord({ run_id: input.runId, storefront_id: storefront.storefront_id, kind: "products", source: "api", requested_at: new Date().toISOString() });
  await insertRun(run);
  const connector = connectorFor(storefront as StorefrontItem & { platform_type: "shopify" }, { clock: virtualClock() });
  let reported = 0;
  let progress: SyncProgress | undefined;
  await carryOutRun(run, storefront, connector, async (sofar) => {
    progress = sofar;
    if (sofar.items_seen - reported >= PROGRESS_EVERY) {
      reported = sofar.items_seen;
      process.stderr.write(`[sync]   ${sofar.items_seen}/${input.expected} products, ${(performance.now() - started) / 1000 | 0} s\n`);
    }
  });
  if (!progress) throw new Error("the run saw no page");

  const wallMs = performance.now() - started;
  return { wallMs, progress, connector: { ...connector.counters }, memory: memory.stop(), dynamodb };
}

try {
  await send({ type: "result", result: await main(JSON.parse(process.argv[2]!) as SyncChildInput) });
} catch (error) {
  await send({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
// Done once the result is sent, whatever idle sockets the shared modules' SDK clients hold.
process.exit(0);
