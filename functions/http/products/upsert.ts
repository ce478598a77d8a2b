import { httpRoute, reply } from "../../../shared/http/handler";
import { productOperations } from "../../../shared/schemas/product";
import { upsertProduct, type UpsertOutcome } from "../../../shared/domain/products";

function messageOf(outcome: UpsertOutcome): string {
  if (outcome.action === "created") return "Product created successfully";
  if (outcome.stale) return "Product not updated: the request's updated_at is not newer than the stored product's";
  return outcome.changed ? "Product updated successfully" : "Product unchanged: the request matches the stored product";
}

export const handler = httpRoute(productOperations.upsert, async ({ body, principal }) => {
  const outcome = await upsertProduct(body, principal);
  const { product, action, changed, stale } = outcome;
  return reply(action === "created" ? 201 : 200, { message: messageOf(outcome), product, action, changed, stale });
});
