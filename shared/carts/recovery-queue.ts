/** The messages of the recovery-email queue: one (cart, step) to send. */
import { sendBatchToQueue } from "../queues";
import { RECOVERY_EMAIL_QUEUE } from "./queues";

export interface RecoveryEmailMessage {
  storefront_id: number;
  cart_id: number;
  /** Which email of the sequence (1..3); at most one email is ever sent per cart and step. */
  step: number;
  template: string;
  /** The abandonment it belongs to; a cart abandoned again since starts a new sequence and this message is dropped. */
  abandoned_at: string;
  /** What asked for it: the automatic campaign, or a request to the API. */
  source: "schedule" | "api";
}

export const queueRecoveryEmails = (messages: RecoveryEmailMessage[]) => sendBatchToQueue(RECOVERY_EMAIL_QUEUE, messages);
