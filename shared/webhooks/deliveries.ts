/** The deliveries API: the list (newest first, across the storefronts in scope) and replay. */
import { NotFoundError } from "../http/errors";
import { dateRangeOf } from "../data/collections";
import { continuationKeyOf, getDelivery, getWebhookStats, markForReplay, queryDeliveries, type DeliveryFilter, type DeliveryRecord } from "../data/webhook-deliveries";
import { sendToQueue } from "../queues";
import type { ListDeliveriesQuery } from "../schemas/webhook";
import { requireStorefrontAccess } from "../domain/catalog-access";
import { newestFirstPage, type MergeSource } from "../domain/newest-first-merge";
import { storefrontsInScope } from "../domain/storefront-scope";
import type { Principal } from "../domain/roles";
import { WEBHOOK_QUEUE } from "./queue";

const sortKeyOf = (delivery: DeliveryRecord) => `${delivery.received_at}#${delivery.delivery_id}`;

export async function listDeliveries(query: ListDeliveriesQuery, principal: Principal) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  const storefrontIds = scope.map((storefront) => storefront.storefront_id);
  const range = dateRangeOf(query);
  // Refused deliveries are counted, never stored: that filter lists nothing, the statistics say how many.
  const rejectedOnly = query.status === "rejected";
  const filter: DeliveryFilter = {
    topic: query.topic,
    status: query.status === "duplicate" || query.status === "rejected" ? undefined : query.status,
    duplicatesOnly: query.status === "duplicate",
  };
  const source: MergeSource<DeliveryRecord> = {
    read: async (storefrontId, examine, startKey) => {
      const page = await queryDeliveries(storefrontId, { range, filter, examine, startKey });
      return { records: page.deliveries, lastKey: page.lastKey };
    },
    sortKeyOf,
    continuationKeyOf,
    filtered: filter.topic !== undefined || filter.status !== undefined || filter.duplicatesOnly === true,
  };
  const [page, stats] = await Promise.all([
    rejectedOnly ? { records: [], nextCursor: null } : newestFirstPage(source, storefrontIds, query.cursor, 0, query.limit),
    Promise.all(storefrontIds.map((id) => getWebhookStats(id))),
  ]);
  const statistics: Record<string, number> = {};
  for (const counts of stats) for (const [name, value] of Object.entries(counts)) statistics[name] = (statistics[name] ?? 0) + value;
  return { deliveries: page.records, next_cursor: page.nextCursor, statistics };
}

export async function replayDelivery(id: string, principal: Principal) {
  const delivery = await getDelivery(id);
  if (!delivery) throw new NotFoundError("Delivery", id);
  requireStorefrontAccess(principal, delivery.storefront_id);
  await markForReplay(id);
  await sendToQueue(WEBHOOK_QUEUE, { delivery_id: id });
  return { message: "Delivery queued for processing", delivery_id: id };
}
