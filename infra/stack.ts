/**
 * The hub on AWS, generated from the wiring table (infra/wiring.ts): one
 * function per entry with its trigger and exactly the access it declares.
 * The local stack (infra/local/) is generated from the same table.
 *
 * The stack holds what the functions share (the table, the credentials key,
 * the queues, the email events path, the HTTP API with its routes); the
 * functions, with their triggers, are in nested stacks, one per group
 * (infra/constructs/function-stacks.ts). CDK passes what crosses a stack
 * boundary as nested stack parameters and outputs.
 */
import { resolve } from "node:path";
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { EMAIL_EVENTS_QUEUE } from "../shared/carts/queues";
import { functions as wiredFunctions, queues as wiredQueues, type FunctionSpec } from "./wiring";
import { CredentialsKey } from "./constructs/credentials-key";
import { checkEmailWiring, EmailEvents, PUBLIC_API_URL_ENV, senderEmailFrom } from "./constructs/email-events";
import { HubApi } from "./constructs/hub-api";
import { HubFunction } from "./constructs/hub-function";
import { FunctionStack, functionGroupOf } from "./constructs/function-stacks";
import { DeadLetterQueue, HubQueue } from "./constructs/hub-queue";
import { HubTable } from "./constructs/hub-table";
import { addQueueTrigger, addScheduleTrigger, addStreamTrigger } from "./constructs/triggers";
import { checkWiring, type Wiring } from "./constructs/wiring-checks";

export type { Wiring } from "./constructs/wiring-checks";

/** Entries in the wiring are relative to the repository root. */
const REPO_ROOT = resolve(import.meta.dirname, "..");

export interface HubStackProps extends StackProps {
  /** Defaults to the real wiring; tests pass their own. */
  wiring?: Wiring;
}

export class HubStack extends Stack {
  readonly table: HubTable;
  readonly credentialsKey: CredentialsKey;
  readonly api: HubApi;
  /** The SES configuration set and its bounce and complaint path; present when the wiring sends email or has the email-events queue. */
  readonly emailEvents?: EmailEvents;
  readonly queues = new Map<string, HubQueue>();
  readonly functions = new Map<string, HubFunction>();
  /** The nested stacks of the functions, by group. */
  readonly functionStacks = new Map<string, FunctionStack>();
  /** Every dead-letter queue: of the wiring's queues, of stream consumers, of schedules, of the email events subscription. */
  readonly deadLetterQueues: DeadLetterQueue[] = [];

  constructor(scope: Construct, id: string, props: HubStackProps = {}) {
    super(scope, id, props);
    const wiring = props.wiring ?? { functions: wiredFunctions, queues: wiredQueues };
    checkWiring(wiring);
    checkEmailWiring(wiring);

    this.table = new HubTable(this, "Data");
    this.credentialsKey = new CredentialsKey(this, "Credentials");

    for (const spec of wiring.queues) {
      const queue = new HubQueue(this, `Queue-${spec.name}`, spec);
      this.queues.set(spec.name, queue);
      this.deadLetterQueues.push(queue.deadLetters);
    }

    const emailSenders = wiring.functions.filter((spec) => spec.access.sendEmail);
    const emailEventsQueue = this.queues.get(EMAIL_EVENTS_QUEUE);
    // checkEmailWiring guarantees the queue whenever there are senders.
    if (emailEventsQueue) {
      this.emailEvents = new EmailEvents(this, "EmailEvents", { queue: emailEventsQueue });
      this.deadLetterQueues.push(this.emailEvents.undelivered);
    }

    for (const spec of wiring.functions) {
      const fn = new HubFunction(this.functionStackFor(spec), `Fn-${spec.name}`, {
        name: spec.name,
        entry: resolve(REPO_ROOT, spec.entry),
        projectRoot: REPO_ROOT,
        memoryMb: spec.memoryMb,
        timeoutSeconds: spec.timeoutSeconds,
      });
      this.functions.set(spec.name, fn);
      this.grantAccess(fn, spec);
    }

    const authorizerSpec = wiring.functions.find((spec) => spec.trigger.type === "authorizer");
    this.api = new HubApi(this, "Http", {
      authorizer:
        authorizerSpec?.trigger.type === "authorizer"
          ? {
              fn: this.functionNamed(authorizerSpec.name),
              identityHeader: authorizerSpec.trigger.identityHeader,
              cacheTtlSeconds: authorizerSpec.trigger.cacheTtlSeconds,
            }
          : undefined,
    });

    for (const spec of wiring.functions) this.addTrigger(this.functionNamed(spec.name), spec);

    // Senders are queue workers, never routes (checkEmailWiring), so the API does not depend on them.
    // Their nested stack takes the API's id as a parameter: the API and its stage wait for no nested
    // stack (only routes, integrations and the authorizer do), so the reference makes no cycle.
    for (const spec of emailSenders) this.functionNamed(spec.name).addEnvironment(PUBLIC_API_URL_ENV, this.api.url);

    new CfnOutput(this, "ApiUrl", { value: this.api.url, description: "Base URL of the HTTP API" });
    new CfnOutput(this, "TableName", { value: this.table.table.tableName, description: "The hub's DynamoDB table" });
  }

  /** The nested stack of the function's group, created with the group's first function. */
  private functionStackFor(spec: FunctionSpec): FunctionStack {
    const group = functionGroupOf(spec);
    let stack = this.functionStacks.get(group);
    if (!stack) {
      stack = new FunctionStack(this, group);
      this.functionStacks.set(group, stack);
    }
    return stack;
  }

  functionNamed(name: string): HubFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`No function named ${name}`);
    return fn;
  }

  private queueNamed(name: string): HubQueue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No queue named ${name}`);
    return queue;
  }

  private emailEventsOrThrow(): EmailEvents {
    if (!this.emailEvents) throw new Error(`Email is sent, but the wiring has no ${EMAIL_EVENTS_QUEUE} queue`);
    return this.emailEvents;
  }

  private grantAccess(fn: HubFunction, { access }: FunctionSpec): void {
    if (access.table) fn.bindTable(this.table, access.table);
    if (access.credentials) this.credentialsKey.grant(fn, access.credentials);
    for (const name of access.sendTo ?? []) this.queueNamed(name).grantSendTo(fn);
    if (access.sendEmail) this.emailEventsOrThrow().bindSender(fn, senderEmailFrom(this));
  }

  private addTrigger(fn: HubFunction, spec: FunctionSpec): void {
    const { trigger } = spec;
    switch (trigger.type) {
      case "http":
        this.api.addOperation(spec.name, trigger.operation, fn);
        return;
      case "authorizer":
        // Attached to the routes that need it, by the API.
        return;
      case "stream":
        this.deadLetterQueues.push(addStreamTrigger(fn, this.table, trigger, spec.name));
        return;
      case "queue":
        addQueueTrigger(fn, this.queueNamed(trigger.queue), trigger);
        return;
      case "schedule":
        this.deadLetterQueues.push(addScheduleTrigger(fn, trigger, spec.name));
        return;
    }
  }
}
