/**
 * Bounces and complaints, back into the hub. Every email is sent through one
 * SES configuration set; its event destination publishes BOUNCE and COMPLAINT
 * events to an SNS topic, and the wiring's email-events queue is subscribed to
 * that topic. The queue's worker reads the SNS envelope (Type, MessageId,
 * Message), so the subscription does not use raw message delivery.
 */
import { RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as ses from "aws-cdk-lib/aws-ses";
import * as sns from "aws-cdk-lib/aws-sns";
import { SqsSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { EMAIL_EVENTS_QUEUE } from "../../shared/carts/queues";
import type { HubFunction } from "./hub-function";
import type { HubQueue } from "./hub-queue";
import type { Wiring } from "./wiring-checks";
import { configurationSetArn, grantSendEmail } from "./email";
import { DeadLetterQueue } from "./hub-queue";

/** What every email sender finds in its environment. */
export const EMAIL_CONFIGURATION_SET_ENV = "EMAIL_CONFIGURATION_SET";
export const SENDER_EMAIL_ENV = "SENDER_EMAIL";
/** The HTTP API's base URL (it ends with a slash), for links such as unsubscribe. */
export const PUBLIC_API_URL_ENV = "PUBLIC_API_URL";

/**
 * The From address, from CDK context (`cdk deploy -c senderEmail=...`). Its
 * domain (or the address itself) must be a verified SES identity of the
 * account in the stack's region, or SES refuses every send; while the account
 * is in the SES sandbox, recipients must be verified as well.
 */
export const SENDER_EMAIL_CONTEXT = "senderEmail";
export const DEFAULT_SENDER_EMAIL = "no-reply@example.com";

/** The SES events the hub acts on: the address is unusable or the recipient objected. */
export const EMAIL_EVENT_TYPES = [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT];

/**
 * Email mistakes in the wiring, caught at synth time: a sender without the
 * queue its bounces come back to, and a sender that is an HTTP route (email
 * is sent from queue workers, so that a request never waits on SES and a
 * failed send is retried from its queue).
 */
export function checkEmailWiring({ functions, queues }: Wiring): void {
  const problems: string[] = [];
  const senders = functions.filter((fn) => fn.access.sendEmail);
  if (senders.length > 0 && !queues.some((queue) => queue.name === EMAIL_EVENTS_QUEUE)) {
    problems.push(
      `${senders.map((fn) => fn.name).join(", ")} send email, but the wiring has no ${EMAIL_EVENTS_QUEUE} queue: bounces and complaints would be lost`,
    );
  }
  for (const fn of senders) {
    if (fn.trigger.type === "http") {
      problems.push(`${fn.name} sends email but is an HTTP route: send email from a queue worker, and let the route enqueue the message`);
    }
  }
  if (problems.length > 0) throw new Error(`The wiring is inconsistent:\n- ${problems.join("\n- ")}`);
}

/** The sender address from context, or the default; anything that is not one address fails the synth. */
export function senderEmailFrom(scope: Construct): string {
  const value: unknown = scope.node.tryGetContext(SENDER_EMAIL_CONTEXT) ?? DEFAULT_SENDER_EMAIL;
  if (typeof value !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
    throw new Error(`The context value ${SENDER_EMAIL_CONTEXT} must be one email address, got ${JSON.stringify(value)}`);
  }
  return value;
}

export interface EmailEventsProps {
  /** The wiring's email-events queue. */
  queue: HubQueue;
}

export class EmailEvents extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  /** Events SNS could not deliver to the queue. */
  readonly undelivered: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EmailEventsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Reputation metrics on; account-level suppression of bounced and complaining addresses left as is.
    this.configurationSet = new ses.ConfigurationSet(this, "ConfigurationSet", { reputationMetrics: true });

    this.key = new kms.Key(this, "Key", {
      description: "Encrypts SES bounce and complaint events on their SNS topic",
      enableKeyRotation: true,
      // Only events in transit are encrypted with it: the queue they land in uses SQS-managed encryption.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Named, so that the key policy below can name the topic without depending on it (the topic depends on the key).
    const topicName = `${stack.stackName}-email-events`;
    this.topic = new sns.Topic(this, "Topic", {
      topicName,
      displayName: "Commerce hub email bounces and complaints",
      masterKey: this.key,
      enforceSSL: true,
    });

    // SES publishes to an encrypted topic only if the key lets it (SNS encrypts with
    // the publisher's permissions); limited to this configuration set and this topic.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("ses.amazonaws.com")],
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        resources: ["*"],
        conditions: {
          StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": stack.formatArn({ service: "sns", resource: topicName }) },
          ArnLike: { "aws:SourceArn": configurationSetArn(this.configurationSet) },
        },
      }),
    );

    // Also adds the topic policy statement that lets SES (for this configuration set) publish.
    this.configurationSet.addEventDestination("BouncesAndComplaints", {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: EMAIL_EVENT_TYPES,
    });

    this.undelivered = new DeadLetterQueue(this, "Undelivered", {
      purpose: `the ${props.queue.spec.name} queue's subscription to the email events topic`,
      failureDestinationOf: `the ${props.queue.spec.name} queue's subscription to the email events topic (SNS redrive policy)`,
    });
    // The queue uses SQS-managed encryption, which SNS can deliver to without a key grant;
    // the subscription adds the queue policy statement that lets this topic send.
    this.topic.addSubscription(
      new SqsSubscription(props.queue.queue, { rawMessageDelivery: false, deadLetterQueue: this.undelivered.queue }),
    );
  }

  /** Lets an email sender send through the configuration set, and tells it how. */
  bindSender(fn: HubFunction, senderEmail: string): void {
    grantSendEmail(fn, this.configurationSet);
    fn.addEnvironment(EMAIL_CONFIGURATION_SET_ENV, this.configurationSet.configurationSetName);
    fn.addEnvironment(SENDER_EMAIL_ENV, senderEmail);
  }
}
