import { httpRoute, reply } from "../../../shared/http/handler";
import { orderOperations } from "../../../shared/schemas/order";
import { importOrder, type ImportOutcome } from "../../../shared/domain/orders";

function messageOf(outcome: ImportOutcome): string {
  if (outcome.action === "created") return "Order imported successfully";
  if (outcome.stale) return "Order not updated: the import's updated_at is older than the stored order's";
  return outcome.changed ? "Order updated successfully" : "Order unchanged: the import matches the stored order";
}

export const handler = httpRoute(orderOperations.import, async ({ body, principal }) => {
  const outcome = await importOrder(body, principal);
  return reply(outcome.action === "created" ? 201 : 200, { message: messageOf(outcome), ...outcome });
});
