/**
 * The asynchronous triggers of the wiring: table stream, queue, schedule.
 * Each one reports partial batch failures where the source supports it and
 * ends in a dead-letter queue, so that one poison record never blocks the rest.
 */
import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { DynamoEventSource, SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Trigger } from "../wiring";
import type { HubFunction } from "./hub-function";
import type { HubQueue } from "./hub-queue";
import type { HubTable } from "./hub-table";
import { DeadLetterQueue } from "./hub-queue";
import { acknowledgeWildcard } from "./nag";

type TriggerOf<T extends Trigger["type"]> = Extract<Trigger, { type: T }>;

/** How often EventBridge retries a scheduled invocation that failed to be delivered, and for how long. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);
/** How often Lambda retries a scheduled run that threw (asynchronous invocation). */
export const SCHEDULED_RUN_RETRY_ATTEMPTS = 2;

/** SQS lets Lambda gather up to 10 messages without a batching window; more need one. */
const SQS_BATCH_WITHOUT_WINDOW = 10;

export function addStreamTrigger(fn: HubFunction, hubTable: HubTable, trigger: TriggerOf<"stream">, name: string): DeadLetterQueue {
  const failures = new DeadLetterQueue(fn, "StreamFailures", {
    purpose: `stream consumer ${name}`,
    failureDestinationOf: `the ${name} stream consumer's event source mapping`,
  });
  fn.function.addEventSource(
    new DynamoEventSource(hubTable.table, {
      // Aggregates are kept from every change: start from the oldest record the stream holds.
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: trigger.batchSize,
      retryAttempts: trigger.maxRetries,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(failures.queue),
      filters: trigger.filters.map((pattern) => lambda.FilterCriteria.filter(pattern)),
    }),
  );
  acknowledgeWildcard(
    fn.role,
    "Resource::*",
    "dynamodb:ListStreams (added by the stream event source) does not support resource-level permissions; reading records is scoped to this table's stream.",
  );
  return failures;
}

export function addQueueTrigger(fn: HubFunction, hubQueue: HubQueue, trigger: TriggerOf<"queue">): void {
  fn.function.addEventSource(
    new SqsEventSource(hubQueue.queue, {
      batchSize: trigger.batchSize,
      maxBatchingWindow: trigger.batchSize > SQS_BATCH_WITHOUT_WINDOW ? Duration.seconds(1) : undefined,
      reportBatchItemFailures: true,
    }),
  );
}

export function addScheduleTrigger(fn: HubFunction, trigger: TriggerOf<"schedule">, name: string): DeadLetterQueue {
  const failures = new DeadLetterQueue(fn, "ScheduleFailures", {
    purpose: `schedule ${name}`,
    failureDestinationOf: `the ${name} schedule (EventBridge target and asynchronous invocation)`,
  });
  new events.Rule(fn, "Schedule", {
    description: `Runs ${name} on ${trigger.expression}`,
    schedule: events.Schedule.expression(trigger.expression),
    targets: [
      // The target's dead-letter queue only receives events EventBridge could not deliver...
      new targets.LambdaFunction(fn.function, {
        deadLetterQueue: failures.queue,
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maxEventAge: SCHEDULE_MAX_EVENT_AGE,
      }),
    ],
  });
  // ...runs that were delivered but threw are retried by Lambda, then land in the same queue.
  fn.function.configureAsyncInvoke({
    retryAttempts: SCHEDULED_RUN_RETRY_ATTEMPTS,
    onFailure: new SqsDestination(failures.queue),
  });
  return failures;
}
