/**
 * SES bounce and complaint events -> the storefront's suppression list. A
 * permanent bounce or a complaint suppresses the address on the storefront
 * named by the email's storefront_id tag; transient bounces and other events
 * change nothing. Suppressing twice is harmless, so redelivery is too.
 */
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { suppressAddress } from "../data/carts";
import { logger } from "../logger";
import { parseSesEvent, UnreadableEmailEventError, type EmailEvent } from "./ses-events";

async function applyEvent(event: EmailEvent, at: string): Promise<string> {
  if (event.kind === "other") return `ignored: ${event.type}`;
  if (event.kind === "bounce" && !event.permanent) return "ignored: a transient bounce";
  const storefrontId = Number(event.tags.storefront_id?.[0]);
  if (!Number.isInteger(storefrontId) || storefrontId < 1) return "ignored: the email carries no storefront_id tag";
  const reason = event.kind === "bounce" ? "bounced" : "complained";
  await Promise.all(event.recipients.map((recipient) => suppressAddress(storefrontId, recipient, reason, at)));
  return `${event.recipients.length} address(es) suppressed (${reason}) on storefront ${storefrontId}`;
}

export async function processEmailEvents(records: SQSRecord[]): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    try {
      const outcome = await applyEvent(parseSesEvent(record.body), new Date().toISOString());
      logger.info("email event", { messageId: record.messageId, outcome });
    } catch (error) {
      if (error instanceof UnreadableEmailEventError) {
        logger.error("dropping an unreadable email event", { messageId: record.messageId, error: error.message });
        continue;
      }
      logger.error("cannot apply an email event; it will be retried", { messageId: record.messageId, error: error as Error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
