/**
 * Watching the stream processors catch up: the storefronts' order counters
 * polled until they count what was written.
 */
import type { HubClient } from "../hub-client";
import { expectStatus } from "./api";
import type { GenerationReport } from "./types";

/**
 * Polls the storefronts' order counters (GET /api/ecommerce/storefronts)
 * until every storefront counts at least its orders before plus the ones
 * written, and the counts hold still for one more poll. Returns the time
 * taken, or undefined when `timeoutMs` ran out.
 */
export async function waitForOrderCounters(hub: HubClient, report: GenerationReport, timeoutMs = 600_000, pollMs = 500): Promise<number | undefined> {
  const started = Date.now();
  const expected = new Map(report.storefronts.map((storefront) => [storefront.storefront_id, storefront.order_count_before + storefront.orders_written]));
  let previous = "";
  while (Date.now() - started < timeoutMs) {
    const counts = new Map<number, number>();
    let cursor: string | null = null;
    do {
      const path: string = `/api/ecommerce/storefronts?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await expectStatus(hub.call("GET", path), [200], "storefronts");
      for (const storefront of page.storefronts as any[]) counts.set(storefront.storefront_id, storefront.order_count);
      cursor = page.next_cursor ?? null;
    } while (cursor);
    const snapshot = JSON.stringify([...expected.keys()].map((id) => counts.get(id) ?? 0));
    const reached = [...expected].every(([id, count]) => (counts.get(id) ?? 0) >= count);
    if (reached && snapshot === previous) return Date.now() - started;
    previous = reached ? snapshot : "";
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return undefined;
}
