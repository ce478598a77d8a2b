/**
 * Queues of the hub. Every queue, and every other asynchronous path (stream
 * consumers, scheduled invocations), ends in a dead-letter queue, and every
 * dead-letter queue raises an alarm as soon as a message lands in it.
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { QueueSpec } from "../wiring";
import type { HubFunction } from "./hub-function";
import { queueUrlEnvName } from "../wiring";
import { acknowledge } from "./nag";

/** The longest SQS keeps a message: time enough to notice the alarm and redrive. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export interface DeadLetterQueueProps {
  /** What fails into this queue, for the alarm's description. */
  purpose: string;
  /**
   * Set when the queue receives failures directly from a service (a Lambda
   * on-failure destination, an EventBridge target) rather than through another
   * queue's redrive policy: cdk-nag cannot tell those apart from ordinary queues.
   */
  failureDestinationOf?: string;
}

export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, "Queue", {
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.alarm = new cloudwatch.Alarm(this, "NotEmpty", {
      alarmDescription: `Messages in the dead-letter queue of ${props.purpose}`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.failureDestinationOf) {
      acknowledge(
        this.queue,
        "AwsSolutions-SQS3",
        `This queue is itself a dead-letter queue: the on-failure destination of ${props.failureDestinationOf}.`,
      );
    }
  }
}

/** A queue of the wiring with its dead-letter queue and redrive policy. */
export class HubQueue extends Construct {
  readonly spec: QueueSpec;
  readonly queue: sqs.Queue;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, spec: QueueSpec) {
    super(scope, id);
    this.spec = spec;
    this.deadLetters = new DeadLetterQueue(this, "DeadLetters", { purpose: `queue ${spec.name}` });
    this.queue = new sqs.Queue(this, "Queue", {
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: spec.maxReceiveCount },
    });
  }

  /** Lets a function send to this queue, and nothing else: no receive, no delete, no attribute reads. */
  grantSendTo(fn: HubFunction): void {
    fn.addEnvironment(queueUrlEnvName(this.spec.name), this.queue.queueUrl);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.queue.queueArn] }));
  }
}
