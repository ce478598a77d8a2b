/** The queues of abandoned-cart recovery, as their consumers and the wiring table know them. */

/** One message per (cart, step) to email; the recovery-email worker sends it with SES. */
export const RECOVERY_EMAIL_QUEUE = "recovery-emails";
/** SES bounce and complaint events (SES configuration set -> SNS topic -> this queue). */
export const EMAIL_EVENTS_QUEUE = "email-events";
