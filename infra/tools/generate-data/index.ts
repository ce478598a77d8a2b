/**
 * A realistic data generator for the dashboards, the analytics and the
 * benchmarks: `npm run seed -- --orders 10000 [--days 90] [--seed 42]`.
 *
 * Storefronts and the catalog go through the API (they are small); customers
 * are created with the domain's own insert (one small transaction each);
 * orders and carts are written with BatchWriteItem straight into the table,
 * built by the domain's record builders (the import's conversion, items and
 * order records; the cart upsert's fields) so that the items are exactly the
 * ones an import, a cart upsert, the abandonment sweep and a recovery email
 * leave. The stream processors then fill every aggregate as in use: nothing
 * here writes a counter, a statistic, a summary or a sketch.
 *
 * Deterministic from the seed: every order, cart and customer is named by an
 * external id derived from it. Items already there (found by their lookup
 * items) are left alone, so a second run with the same seed writes nothing
 * and no processor sees a change.
 */
import { withAdminHubAt, type HubClient } from "../hub-client";

export { generateData } from "./generate";
export { waitForOrderCounters } from "./order-counters";
export { describeGeneration } from "./describe";
export type { GenerateOptions, GeneratedOrder, StorefrontReport, GenerationReport } from "./types";

/** Issues an admin key for the purpose (revoked after) and generates into the hub at `url`; the table must be reachable from here. */
export async function withHubAt<T>(url: string, work: (hub: HubClient) => Promise<T>): Promise<T> {
  return withAdminHubAt(url, "data generator", work);
}
