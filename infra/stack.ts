/**
 * The hub on AWS, generated from the wiring table (infra/wiring.ts): one
 * function per entry with its trigger and exactly the access it declares.
 * The local stack (infra/local/) is generated from the same table.
 */
import { resolve } from "node:path";
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { functions as wiredFunctions, queues as wiredQueues, type FunctionSpec } from "./wiring";
import { CredentialsKey } from "./constructs/credentials-key";
import { grantSendEmail } from "./constructs/email";
import { HubApi } from "./constructs/hub-api";
import { HubFunction } from "./constructs/hub-function";
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
  readonly queues = new Map<string, HubQueue>();
  readonly functions = new Map<string, HubFunction>();
  /** Every dead-letter queue: of the wiring's queues, of stream consumers, of schedules. */
  readonly deadLetterQueues: DeadLetterQueue[] = [];

  constructor(scope: Construct, id: string, props: HubStackProps = {}) {
    super(scope, id, props);
    const wiring = props.wiring ?? { functions: wiredFunctions, queues: wiredQueues };
    checkWiring(wiring);

    this.table = new HubTable(this, "Data");
    this.credentialsKey = new CredentialsKey(this, "Credentials");

    for (const spec of wiring.queues) {
      const queue = new HubQueue(this, `Queue-${spec.name}`, spec);
      this.queues.set(spec.name, queue);
      this.deadLetterQueues.push(queue.deadLetters);
    }

    for (const spec of wiring.functions) {
      const fn = new HubFunction(this, `Fn-${spec.name}`, {
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

    new CfnOutput(this, "ApiUrl", { value: this.api.url, description: "Base URL of the HTTP API" });
    new CfnOutput(this, "TableName", { value: this.table.table.tableName, description: "The hub's DynamoDB table" });
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

  private grantAccess(fn: HubFunction, { access }: FunctionSpec): void {
    if (access.table) fn.bindTable(this.table, access.table);
    if (access.credentials) this.credentialsKey.grant(fn, access.credentials);
    for (const name of access.sendTo ?? []) this.queueNamed(name).grantSendTo(fn);
    if (access.sendEmail) grantSendEmail(fn);
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
