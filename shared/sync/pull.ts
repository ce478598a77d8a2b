/**
 * One attempt of a run: the platform's changes since the run's starting
 * point, page by page, each item applied with the webhook applier (the same
 * domain code as the REST API). An item the hub refuses (invalid data) is
 * counted and recorded on the run; any other failure ends the attempt.
 */
import type { PlatformConnector } from "../connectors/connector";
import { MAX_RUN_ERRORS, emptyProgress, type SyncProgress } from "../data/sync-runs";
import { HttpError } from "../http/errors";
import { UnreadablePayloadError, type WebhookAction } from "../webhooks/actions";
import { applyActions } from "../webhooks/apply";
import type { SyncKind } from "./kinds";

function pagesOf(connector: PlatformConnector, kind: SyncKind, since: string | null): AsyncIterable<WebhookAction[]> {
  switch (kind) {
    case "products":
      return connector.listProductsSince(since);
    case "orders":
      return connector.listOrdersSince(since);
    case "customers":
      return connector.listCustomers();
  }
}

/** The item's id on the platform, for the run's error list. */
function itemLabel(action: WebhookAction): string {
  const body = "body" in action ? action.body : {};
  const id = body.external_product_id ?? body.external_order_id ?? body.external_customer_id;
  return id === undefined ? action.type : `${action.type} ${String(id)}`;
}

/** Failures that another try will not fix: the data itself is refused. */
const isRefusal = (error: unknown) =>
  error instanceof UnreadablePayloadError || (error instanceof HttpError && error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 409);

const refusalOf = (error: unknown) =>
  error instanceof HttpError ? `${error.code}: ${error.message}${Array.isArray(error.details) ? ` ${JSON.stringify(error.details)}` : ""}` : (error as Error).message;

type Outcome = "created" | "updated" | "unchanged";

/** The applier's account of an item ("product 12 created with 2 variants", "order 7 unchanged"…) as a counter. */
function outcomeOf(description: string): Outcome {
  if (/\bunchanged\b|not in the catalog|ignored:/.test(description)) return "unchanged";
  if (/\bcreated\b/.test(description)) return "created";
  return "updated";
}

export async function pullChanges(
  storefrontId: number,
  kind: SyncKind,
  connector: PlatformConnector,
  since: string | null,
  onPage: (progress: SyncProgress) => Promise<void>,
): Promise<SyncProgress> {
  const progress = emptyProgress();
  for await (const page of pagesOf(connector, kind, since)) {
    for (const action of page) {
      progress.items_seen += 1;
      try {
        progress[outcomeOf(await applyActions(storefrontId, [action]))] += 1;
      } catch (error) {
        if (!isRefusal(error)) throw error;
        progress.failed += 1;
        if (progress.errors.length < MAX_RUN_ERRORS) progress.errors.push(`${itemLabel(action)}: ${refusalOf(error)}`);
      }
    }
    await onPage(progress);
  }
  return progress;
}
