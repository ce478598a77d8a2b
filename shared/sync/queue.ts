/** The sync queue, as its producers, its consumer and the wiring table know it. */
export const SYNC_QUEUE = "platform-sync";
/** Receives before a run's message goes to the dead-letter queue (the queue's redrive policy). */
export const SYNC_MAX_RECEIVES = 4;

/** One queued run: everything else is on the run's record. */
export interface SyncMessage {
  run_id: string;
}
