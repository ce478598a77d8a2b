/** Each function that sends to a queue gets its URL in QUEUE_URL_<NAME> (kept apart from queues.ts so that naming it needs no SQS client). */
export const queueUrlEnvName = (queue: string): string => `QUEUE_URL_${queue.toUpperCase().replace(/-/g, "_")}`;
