import { readFileSync } from "node:fs";
import { App, NestedStack, Stack } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp, STACK_ID } from "../../infra/app";
import { CREDENTIALS_KEY_ENV, ENCRYPTION_CONTEXT_KEYS } from "../../infra/constructs/credentials-key";
import { configurationSetArn } from "../../infra/constructs/email";
import {
  DEFAULT_SENDER_EMAIL,
  EMAIL_CONFIGURATION_SET_ENV,
  PUBLIC_API_URL_ENV,
  SENDER_EMAIL_CONTEXT,
  SENDER_EMAIL_ENV,
} from "../../infra/constructs/email-events";
import { FunctionStack, functionGroupOf, PROCESSING_GROUP } from "../../infra/constructs/function-stacks";
import type { HubFunction } from "../../infra/constructs/hub-function";
import { DeadLetterQueue } from "../../infra/constructs/hub-queue";
import { HubStack } from "../../infra/stack";
import { functions as realFunctions, queueUrlEnvName, type FunctionSpec } from "../../infra/wiring";
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from "../../shared/data/table-definition";
import * as fixture from "./fixtures/wiring";
import {
  allowedActions,
  environmentOf,
  getAtt,
  logicalIdOf,
  propertiesOf,
  ref,
  resources,
  statementsOf,
  templateOf,
  templatesOf,
  type StackTemplates,
} from "./template-helpers";

/** The feature flags the CLI passes from cdk.json, so tests synthesize what `cdk synth` does. */
const cdkContext = (JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8")) as { context: Record<string, unknown> }).context;

/**
 * Bundling is left out of these template tests (CDK's own switch): bundling
 * every function through NodejsFunction takes minutes; tests/infra/bundles.test.ts
 * bundles each entry with the same esbuild options instead.
 *
 * The functions are in nested stacks: `templates` holds the parent's template
 * and each nested stack's, and `template` is all of them in one, with nested
 * stack parameters and outputs followed to what they carry (see templatesOf),
 * for assertions that do not depend on which stack a resource is in.
 */
const build = (wiring?: Parameters<typeof buildApp>[0], context: Record<string, unknown> = {}) => {
  const hub = buildApp(wiring, { context: { ...cdkContext, "aws:cdk:bundling-stacks": [], ...context } });
  const templates = templatesOf(hub.stack);
  return { ...hub, templates, template: templates.all };
};

/** CloudFormation refuses a template with more than 500 resources, 200 parameters or 200 outputs; every stack stays well below. */
const RESOURCE_BUDGET = 400;
const CFN_MAX_PARAMETERS = 200;
const CFN_MAX_OUTPUTS = 200;

function hasResource(template: Template, construct: IConstruct): boolean {
  return logicalIdOf(construct) in resources(template);
}

/** Asserts that each construct's resource is in the template of the given stack and in no other. */
function expectIn(templates: StackTemplates, stack: Stack, constructs: IConstruct[]) {
  for (const construct of constructs) {
    expect(Stack.of(construct), construct.node.path).toBe(stack);
    expect(hasResource(templates.byStack.get(stack)!, construct), construct.node.path).toBe(true);
  }
}

type Synthesized = ReturnType<typeof build>;

const TABLE_WRITE_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];
const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:Query"];

/** Violations cdk-nag's AwsSolutions pack reports, as `rule at path` lines (acknowledged findings are not reported). */
function nagFindings({ nag, stack }: Synthesized): string[] {
  return nag.validateScope(stack).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`),
  );
}

function deadLetterQueueOf(fn: HubFunction, id: string): DeadLetterQueue {
  const child = fn.node.findChild(id);
  if (!(child instanceof DeadLetterQueue)) throw new Error(`${fn.node.path}/${id} is not a dead-letter queue`);
  return child;
}

function expectStackBasics(hub: Synthesized, wiring: FunctionSpec[]) {
  const { stack, template } = hub;
  for (const spec of wiring) {
    const fn = stack.functionNamed(spec.name);
    const properties = propertiesOf(template, fn.function);
    expect(properties, spec.name).toMatchObject({
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      MemorySize: spec.memoryMb ?? 512,
      Timeout: spec.timeoutSeconds ?? 10,
      TracingConfig: { Mode: "Active" },
      LoggingConfig: { LogFormat: "JSON", LogGroup: ref(fn.logGroup) },
      Handler: "index.handler",
      // Named after the top-level stack, also from a nested stack.
      FunctionName: `${STACK_ID}-${spec.name}`,
    });
    expect(environmentOf(template, fn)).toMatchObject({ POWERTOOLS_SERVICE_NAME: "ocean-commerce-hub" });
    // Source maps are off, so Node must not pay for --enable-source-maps.
    expect(environmentOf(template, fn)).not.toHaveProperty("NODE_OPTIONS");
    expect(propertiesOf(template, fn.logGroup)).toMatchObject({ RetentionInDays: 30 });
  }
}

describe("the hub stack, real wiring", () => {
  let hub: Synthesized;
  let template: Template;
  let templates: StackTemplates;
  let stack: HubStack;
  beforeAll(() => {
    hub = build();
    ({ template, templates, stack } = hub);
  });

  it("keeps every stack, the parent and each nested one, far below CloudFormation's limits", () => {
    expect(templates.byStack.size).toBeGreaterThan(1);
    for (const [each, stackTemplate] of templates.byStack) {
      const { Resources, Parameters = {}, Outputs = {} } = stackTemplate.toJSON() as Record<string, Record<string, unknown>>;
      expect(Object.keys(Resources!).length, `resources of ${each.node.path}`).toBeLessThan(RESOURCE_BUDGET);
      expect(Object.keys(Parameters).length, `parameters of ${each.node.path}`).toBeLessThan(CFN_MAX_PARAMETERS);
      expect(Object.keys(Outputs).length, `outputs of ${each.node.path}`).toBeLessThan(CFN_MAX_OUTPUTS);
    }
  });

  it("puts each function in the nested stack of its group: HTTP functions by their operation's first tag, the others in Processing", () => {
    const groupOf = (name: string) => (Stack.of(stack.functionNamed(name)) as FunctionStack).group;
    expect(groupOf("orders-list")).toBe("Orders");
    expect(groupOf("carts-upsert")).toBe("Carts");
    expect(groupOf("variants-list")).toBe("ProductVariants");
    expect(groupOf("api-key-authorizer")).toBe(PROCESSING_GROUP);
    expect(groupOf("order-totals")).toBe(PROCESSING_GROUP);
    expect(groupOf("webhook-worker")).toBe(PROCESSING_GROUP);
    expect(groupOf("cart-schedule")).toBe(PROCESSING_GROUP);

    // One nested stack per first tag of an HTTP operation ("Product variants" as ProductVariants), and Processing.
    const firstTags = new Set(realFunctions.flatMap((spec) => (spec.trigger.type === "http" ? [spec.trigger.operation.tags[0]!] : [])));
    const groups = [...firstTags].map((tag) => tag.replace(/ (\w)/g, (_, letter: string) => letter.toUpperCase()));
    expect([...stack.functionStacks.keys()].sort()).toEqual([...groups, PROCESSING_GROUP].sort());
    expect(stack.functions.size).toBe(realFunctions.length);
    for (const spec of realFunctions) {
      const fn = stack.functionNamed(spec.name);
      const nested = Stack.of(fn);
      expect(nested, spec.name).toBeInstanceOf(FunctionStack);
      expect(nested.nestedStackParent, spec.name).toBe(stack);
      expect(nested, spec.name).toBe(stack.functionStacks.get(functionGroupOf(spec)));
      expectIn(templates, nested, [fn.function, fn.role, fn.logGroup, fn.errorsAlarm]);
    }
  });

  it("keeps the shared resources in the parent stack: table, keys, queues, email events, the API with its routes, the outputs", () => {
    const { parent } = templates;
    parent.resourceCountIs("AWS::Lambda::Function", 0);
    expectIn(templates, stack, [stack.table.table, stack.table.key, stack.credentialsKey.key, stack.api.api, stack.api.stage, stack.api.accessLogs]);
    for (const hubQueue of stack.queues.values()) expectIn(templates, stack, [hubQueue.queue, hubQueue.deadLetters.queue, hubQueue.deadLetters.alarm]);
    const { configurationSet, topic, key, undelivered } = stack.emailEvents!;
    expectIn(templates, stack, [configurationSet, topic, key, undelivered.queue]);
    const httpCount = realFunctions.filter((spec) => spec.trigger.type === "http").length;
    parent.resourceCountIs("AWS::ApiGatewayV2::Route", httpCount);
    parent.resourceCountIs("AWS::ApiGatewayV2::Integration", httpCount);
    parent.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
    parent.resourceCountIs("AWS::CloudFormation::Stack", stack.functionStacks.size);
    expect(Object.keys(parent.toJSON().Outputs)).toEqual(expect.arrayContaining(["ApiUrl", "TableName"]));
  });

  it("keeps the data in one table with the shared keys, indexes, stream, recovery and TTL", () => {
    template.resourceCountIs("AWS::DynamoDB::Table", 1);
    const indexes = Object.values(INDEXES);
    expect(indexes.length).toBeGreaterThan(0);
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      })),
      StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: getAtt(stack.table.key, "Arn") },
    });
  });

  it("retains the table and both customer-managed keys, with key rotation on", () => {
    template.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    for (const key of [stack.table.key, stack.credentialsKey.key]) {
      expect(resources(template)[logicalIdOf(key)]).toMatchObject({
        Type: "AWS::KMS::Key",
        DeletionPolicy: "Retain",
        Properties: { EnableKeyRotation: true },
      });
    }
    expect(logicalIdOf(stack.table.key)).not.toBe(logicalIdOf(stack.credentialsKey.key));
  });

  it("builds every function the same way: Node.js 24 on ARM, tracing, JSON logs in a retained log group", () => {
    expect(realFunctions.length).toBeGreaterThan(0);
    template.resourceCountIs("AWS::Lambda::Function", realFunctions.length);
    expectStackBasics(hub, realFunctions);
  });

  it("gives each function a role of its own that writes only to its own log group, without AWS-managed policies", () => {
    for (const [name, fn] of stack.functions) {
      expect(propertiesOf(template, fn.role).ManagedPolicyArns, name).toBeUndefined();
      const logStatements = statementsOf(template, fn).filter((statement) => statement.Action.some((action) => action.startsWith("logs:")));
      expect(logStatements, name).toEqual([
        expect.objectContaining({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [getAtt(fn.logGroup, "Arn")] }),
      ]);
    }
  });

  it("routes every HTTP operation, through the authorizer exactly when the operation needs a role", () => {
    const httpSpecs = realFunctions.filter((spec) => spec.trigger.type === "http");
    expect(httpSpecs.some((spec) => spec.trigger.type === "http" && spec.trigger.operation.role)).toBe(true);
    expect(httpSpecs.some((spec) => spec.trigger.type === "http" && !spec.trigger.operation.role)).toBe(true);
    template.resourceCountIs("AWS::ApiGatewayV2::Route", httpSpecs.length);
    const authorizerId = Object.entries(resources(template)).find(([, resource]) => resource.Type === "AWS::ApiGatewayV2::Authorizer")?.[0];
    expect(authorizerId).toBeDefined();

    for (const spec of httpSpecs) {
      if (spec.trigger.type !== "http") continue;
      const { method, path, role } = spec.trigger.operation;
      const routes = template.findResources("AWS::ApiGatewayV2::Route", { Properties: { RouteKey: `${method} ${path}` } });
      expect(Object.keys(routes), `${method} ${path}`).toHaveLength(1);
      const properties = Object.values(routes)[0]!.Properties as Record<string, unknown>;
      if (role) expect(properties).toMatchObject({ AuthorizationType: "CUSTOM", AuthorizerId: { Ref: authorizerId } });
      else {
        expect(properties.AuthorizationType).toBe("NONE");
        expect(properties).not.toHaveProperty("AuthorizerId");
      }
    }
  });

  it("uses the wiring's authorizer with simple responses, the Authorization header and its cache TTL", () => {
    const spec = realFunctions.find((candidate) => candidate.trigger.type === "authorizer");
    if (spec?.trigger.type !== "authorizer") throw new Error("the real wiring has no authorizer");
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "REQUEST",
      AuthorizerPayloadFormatVersion: "2.0",
      EnableSimpleResponses: true,
      IdentitySource: ["$request.header.Authorization"],
      AuthorizerResultTtlInSeconds: spec.trigger.cacheTtlSeconds,
      AuthorizerUri: Match.objectLike({
        "Fn::Join": Match.arrayWith([Match.arrayWith([getAtt(stack.functionNamed(spec.name).function, "Arn")])]),
      }),
    });
  });

  it("sends payload format 2.0, logs every request and throttles the default stage", () => {
    const integrations = template.findResources("AWS::ApiGatewayV2::Integration");
    expect(Object.keys(integrations).length).toBeGreaterThan(0);
    for (const integration of Object.values(integrations)) {
      expect(integration.Properties).toMatchObject({ IntegrationType: "AWS_PROXY", PayloadFormatVersion: "2.0" });
    }
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: getAtt(stack.api.accessLogs, "Arn"), Format: Match.stringLikeRegexp("\\$context\\.requestId") },
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
    });
  });

  it("grants table access as the wiring declares it: read-only functions cannot write", () => {
    const table = getAtt(stack.table.table, "Arn");
    const byAccess = (access: FunctionSpec["access"]["table"]) => realFunctions.filter((spec) => spec.access.table === access);
    expect(byAccess("read").length).toBeGreaterThan(0);
    expect(byAccess("readWrite").length).toBeGreaterThan(0);
    expect(byAccess(undefined).length).toBeGreaterThan(0);

    for (const spec of realFunctions) {
      const fn = stack.functionNamed(spec.name);
      const onTable = allowedActions(template, fn, table);
      const environment = environmentOf(template, fn);
      if (spec.access.table === undefined) {
        expect(allowedActions(template, fn).filter((action) => action.startsWith("dynamodb:")), spec.name).toEqual([]);
        expect(environment, spec.name).not.toHaveProperty("TABLE_NAME");
        continue;
      }
      expect(environment.TABLE_NAME, spec.name).toEqual(ref(stack.table.table));
      expect(onTable, spec.name).toEqual(expect.arrayContaining(TABLE_READ_ACTIONS));
      if (spec.access.table === "read") for (const action of TABLE_WRITE_ACTIONS) expect(onTable, spec.name).not.toContain(action);
      else expect(onTable, spec.name).toEqual(expect.arrayContaining(TABLE_WRITE_ACTIONS));
    }
  });

  it("lets only the credential-handling functions use the credentials key, bound to the cipher's encryption context", () => {
    const key = getAtt(stack.credentialsKey.key, "Arn");
    const writers = realFunctions.filter((spec) => spec.access.credentials);
    expect(writers.length).toBeGreaterThan(0);
    for (const spec of realFunctions) {
      const fn = stack.functionNamed(spec.name);
      const statements = statementsOf(template, fn).filter((statement) => statement.Resource.some((r) => JSON.stringify(r) === JSON.stringify(key)));
      if (!spec.access.credentials) {
        expect(statements, spec.name).toEqual([]);
        expect(environmentOf(template, fn), spec.name).not.toHaveProperty(CREDENTIALS_KEY_ENV);
        continue;
      }
      expect(environmentOf(template, fn)[CREDENTIALS_KEY_ENV], spec.name).toEqual(key);
      expect(statements.flatMap((statement) => statement.Action).sort(), spec.name).toEqual(
        { encrypt: ["kms:Encrypt"], decrypt: ["kms:Decrypt"], encryptDecrypt: ["kms:Decrypt", "kms:Encrypt"] }[spec.access.credentials],
      );
      for (const statement of statements) {
        expect(statement.Condition).toEqual({
          "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": ["storefront_id", "field"] },
          Null: { "kms:EncryptionContextKeys": "false" },
        });
      }
    }
    expect([...ENCRYPTION_CONTEXT_KEYS]).toEqual(["storefront_id", "field"]);
  });

  it("raises an alarm on each function's errors", () => {
    for (const fn of stack.functions.values()) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: "Errors",
        Namespace: "AWS/Lambda",
        Dimensions: [{ Name: "FunctionName", Value: ref(fn.function) }],
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    }
  });

  it("outputs the API URL and the table name", () => {
    template.hasOutput("ApiUrl", { Value: Match.objectLike({ "Fn::Join": Match.anyValue() }) });
    template.hasOutput("TableName", { Value: ref(stack.table.table) });
  });

  it("passes cdk-nag's AwsSolutions pack with every finding acknowledged, in every stack", () => {
    expect(nagFindings(hub)).toEqual([]);
    expect(Annotations.fromStack(stack).findError("*", Match.anyValue())).toEqual([]);
  });
});

describe("the hub stack, a wiring with every trigger and access kind", () => {
  let hub: Synthesized;
  let template: Template;
  let templates: StackTemplates;
  let stack: HubStack;
  beforeAll(() => {
    hub = build(fixture.fixtureWiring);
    ({ template, templates, stack } = hub);
  });

  it("puts each trigger, and its dead-letter queue, in the nested stack of its function", () => {
    const streamConsumer = stack.functionNamed(fixture.streamConsumer.name);
    const streamFailures = deadLetterQueueOf(streamConsumer, "StreamFailures");
    expectIn(templates, Stack.of(streamConsumer), [streamFailures.queue, streamFailures.alarm]);
    templateOf(templates, streamConsumer).resourcePropertiesCountIs("AWS::Lambda::EventSourceMapping", { FunctionName: ref(streamConsumer.function) }, 1);

    const scheduler = stack.functionNamed(fixture.scheduler.name);
    const scheduleFailures = deadLetterQueueOf(scheduler, "ScheduleFailures");
    expectIn(templates, Stack.of(scheduler), [scheduleFailures.queue, scheduleFailures.alarm, scheduler.node.findChild("Schedule")]);
    templateOf(templates, scheduler).resourcePropertiesCountIs("AWS::Lambda::EventInvokeConfig", { FunctionName: ref(scheduler.function) }, 1);

    for (const spec of [fixture.queueConsumer, fixture.emailSender, fixture.emailEventsWorker]) {
      const fn = stack.functionNamed(spec.name);
      templateOf(templates, fn).resourcePropertiesCountIs("AWS::Lambda::EventSourceMapping", { FunctionName: ref(fn.function) }, 1);
    }
    // The queues themselves are shared: they stay in the parent, as does every route.
    templates.parent.resourceCountIs("AWS::Lambda::EventSourceMapping", 0);
    templates.parent.resourceCountIs("AWS::Events::Rule", 0);
    for (const hubQueue of stack.queues.values()) expectIn(templates, stack, [hubQueue.queue]);
    templates.parent.resourceCountIs("AWS::ApiGatewayV2::Route", fixture.fixtureWiring.functions.filter((spec) => spec.trigger.type === "http").length);
  });

  it("builds every function the same way, with the wiring's memory and timeout", () => {
    expectStackBasics(hub, fixture.fixtureWiring.functions);
    expect(propertiesOf(template, stack.functionNamed(fixture.queueConsumer.name).function)).toMatchObject({ MemorySize: 1024, Timeout: 60 });
  });

  it("gives each queue a dead-letter queue with the wiring's receive count, and encrypts and retains them", () => {
    for (const spec of fixture.fixtureWiring.queues) {
      const hubQueue = stack.queues.get(spec.name)!;
      expect(propertiesOf(template, hubQueue.queue), spec.name).toMatchObject({
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: getAtt(hubQueue.deadLetters.queue, "Arn"), maxReceiveCount: spec.maxReceiveCount },
      });
      expect(propertiesOf(template, hubQueue.deadLetters.queue), spec.name).toMatchObject({
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
    }
  });

  it("refuses plain-HTTP requests on every queue", () => {
    const queueIds = Object.entries(resources(template))
      .filter(([, resource]) => resource.Type === "AWS::SQS::Queue")
      .map(([id]) => id);
    // + the stream consumer's, the schedule's and the email events subscription's dead-letter queues
    expect(queueIds).toHaveLength(fixture.fixtureWiring.queues.length * 2 + 3);
    for (const id of queueIds) {
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    }
  });

  it("consumes the table stream with the wiring's filters, retries, bisection, partial failures and a dead-letter queue", () => {
    const spec = fixture.streamConsumer;
    if (spec.trigger.type !== "stream") throw new Error("fixture stream consumer has another trigger");
    const fn = stack.functionNamed(spec.name);
    const failures = deadLetterQueueOf(fn, "StreamFailures");
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: ref(fn.function),
      EventSourceArn: getAtt(stack.table.table, "StreamArn"),
      StartingPosition: "TRIM_HORIZON",
      BatchSize: 25,
      MaximumRetryAttempts: 4,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: { OnFailure: { Destination: getAtt(failures.queue, "Arn") } },
      FilterCriteria: { Filters: spec.trigger.filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
    });
    expect(allowedActions(template, fn, getAtt(stack.table.table, "StreamArn"))).toEqual(expect.arrayContaining(["dynamodb:GetRecords", "dynamodb:GetShardIterator"]));
    expect(allowedActions(template, fn, getAtt(failures.queue, "Arn"))).toContain("sqs:SendMessage");
  });

  it("consumes queues in the wiring's batch sizes, reporting partial batch failures", () => {
    for (const spec of [fixture.queueConsumer, fixture.emailSender]) {
      if (spec.trigger.type !== "queue") throw new Error(`${spec.name} is not a queue consumer`);
      const queue = stack.queues.get(spec.trigger.queue)!.queue;
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        FunctionName: ref(stack.functionNamed(spec.name).function),
        EventSourceArn: getAtt(queue, "Arn"),
        BatchSize: spec.trigger.batchSize,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    }
    // More than 10 messages per batch needs a batching window.
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: ref(stack.functionNamed(fixture.emailSender.name).function),
      MaximumBatchingWindowInSeconds: 1,
    });
  });

  it("runs scheduled functions from an EventBridge rule, with retries and a dead-letter queue for undelivered events and failed runs", () => {
    const fn = stack.functionNamed(fixture.scheduler.name);
    const failures = deadLetterQueueOf(fn, "ScheduleFailures");
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(5 minutes)",
      State: "ENABLED",
      Targets: [
        Match.objectLike({
          Arn: getAtt(fn.function, "Arn"),
          DeadLetterConfig: { Arn: getAtt(failures.queue, "Arn") },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        }),
      ],
    });
    // Runs that throw are retried by Lambda and then kept in the same queue.
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: ref(fn.function),
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: getAtt(failures.queue, "Arn") } },
    });
    expect(allowedActions(template, fn, getAtt(failures.queue, "Arn"))).toContain("sqs:SendMessage");
  });

  it("lets senders only send to their queues, and tells them the queue URLs", () => {
    const senders = fixture.fixtureWiring.functions.filter((spec) => spec.access.sendTo);
    expect(senders.length).toBeGreaterThan(0);
    for (const spec of fixture.fixtureWiring.functions) {
      const fn = stack.functionNamed(spec.name);
      const environment = environmentOf(template, fn);
      for (const queueSpec of fixture.fixtureWiring.queues) {
        const { queue } = stack.queues.get(queueSpec.name)!;
        const actions = allowedActions(template, fn, getAtt(queue, "Arn"));
        const consumes = spec.trigger.type === "queue" && spec.trigger.queue === queueSpec.name;
        if (spec.access.sendTo?.includes(queueSpec.name)) {
          expect(actions, `${spec.name} → ${queueSpec.name}`).toEqual(["sqs:SendMessage"]);
          expect(environment[queueUrlEnvName(queueSpec.name)]).toEqual(ref(queue));
        } else {
          if (!consumes) expect(actions, `${spec.name} → ${queueSpec.name}`).toEqual([]);
          expect(environment, spec.name).not.toHaveProperty(queueUrlEnvName(queueSpec.name));
        }
      }
    }
    expect(queueUrlEnvName(fixture.syncQueue.name)).toBe("QUEUE_URL_SYNC_JOBS");
  });

  it("lets only email senders use SES, and tells only them the configuration set, the sender and the API URL", () => {
    const senders = fixture.fixtureWiring.functions.filter((spec) => spec.access.sendEmail);
    expect(senders.length).toBeGreaterThan(0);
    for (const spec of fixture.fixtureWiring.functions) {
      const fn = stack.functionNamed(spec.name);
      const sesActions = allowedActions(template, fn).filter((action) => action.startsWith("ses:"));
      const environment = environmentOf(template, fn);
      if (!spec.access.sendEmail) {
        expect(sesActions, spec.name).toEqual([]);
        for (const name of [EMAIL_CONFIGURATION_SET_ENV, SENDER_EMAIL_ENV, PUBLIC_API_URL_ENV]) expect(environment, spec.name).not.toHaveProperty(name);
        continue;
      }
      expect(sesActions, spec.name).toEqual(["ses:SendEmail"]);
      expect(environment, spec.name).toMatchObject({
        [EMAIL_CONFIGURATION_SET_ENV]: ref(stack.emailEvents!.configurationSet),
        [SENDER_EMAIL_ENV]: DEFAULT_SENDER_EMAIL,
        [PUBLIC_API_URL_ENV]: stack.resolve(stack.api.url),
      });
    }
  });

  it("lets senders send through the configuration set, from the account's identities", () => {
    const configurationSet = stack.resolve(configurationSetArn(stack.emailEvents!.configurationSet));
    const statements = statementsOf(template, stack.functionNamed(fixture.emailSender.name)).filter((statement) => statement.Action.includes("ses:SendEmail"));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: "Allow", Action: ["ses:SendEmail"] });
    expect(statements[0]!.Resource).toEqual(
      expect.arrayContaining([{ "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*" }, configurationSet]),
    );
    expect(statements[0]!.Resource).toHaveLength(2);
  });

  it("creates one configuration set, with reputation metrics and the account's suppression list, sending bounces and complaints to the topic", () => {
    const { configurationSet, topic } = stack.emailEvents!;
    template.resourceCountIs("AWS::SES::ConfigurationSet", 1);
    const properties = propertiesOf(template, configurationSet);
    expect(properties).toMatchObject({ ReputationOptions: { ReputationMetricsEnabled: true } });
    expect(properties).not.toHaveProperty("SuppressionOptions");
    template.resourceCountIs("AWS::SES::ConfigurationSetEventDestination", 1);
    template.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      ConfigurationSetName: ref(configurationSet),
      EventDestination: { Enabled: true, MatchingEventTypes: ["bounce", "complaint"], SnsDestination: { TopicARN: ref(topic) } },
    });
  });

  it("encrypts the topic with a rotated key SES may use for it, refuses plain-HTTP publishing and lets only this configuration set publish", () => {
    const { configurationSet, key, topic } = stack.emailEvents!;
    template.resourceCountIs("AWS::SNS::Topic", 1);
    expect(propertiesOf(template, topic)).toMatchObject({ KmsMasterKeyId: getAtt(key, "Arn") });
    expect(propertiesOf(template, key)).toMatchObject({ EnableKeyRotation: true });
    const keyStatements = (propertiesOf(template, key).KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    expect(keyStatements.filter((statement) => JSON.stringify(statement.Principal).includes("ses.amazonaws.com"))).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "ses.amazonaws.com" },
        Action: expect.arrayContaining(["kms:GenerateDataKey*", "kms:Decrypt"]),
        Condition: {
          ArnLike: { "aws:SourceArn": stack.resolve(configurationSetArn(configurationSet)) },
          StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": expect.anything() },
        },
      }),
    ]);
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [ref(topic)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Action: "sns:Publish", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          Match.objectLike({
            Effect: "Allow",
            Action: "sns:Publish",
            Principal: { Service: "ses.amazonaws.com" },
            Condition: Match.objectLike({ StringEquals: Match.objectLike({ "AWS:SourceArn": Match.anyValue() }) }),
          }),
        ]),
      },
    });
  });

  it("subscribes the email-events queue to the topic with the SNS envelope (no raw delivery), and a dead-letter queue", () => {
    const { topic, undelivered } = stack.emailEvents!;
    const { queue } = stack.queues.get(fixture.emailEventsQueue.name)!;
    template.resourceCountIs("AWS::SNS::Subscription", 1);
    const [subscription] = Object.values(template.findResources("AWS::SNS::Subscription"));
    expect(subscription!.Properties).toMatchObject({
      Protocol: "sqs",
      TopicArn: ref(topic),
      Endpoint: getAtt(queue, "Arn"),
      RedrivePolicy: { deadLetterTargetArn: getAtt(undelivered.queue, "Arn") },
    });
    expect(subscription!.Properties.RawMessageDelivery ?? false).toBe(false);
    for (const target of [queue, undelivered.queue]) {
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [ref(target)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Allow",
              Action: "sqs:SendMessage",
              Principal: { Service: "sns.amazonaws.com" },
              Condition: { ArnEquals: { "aws:SourceArn": ref(topic) } },
            }),
          ]),
        },
      });
    }
    // SNS delivers to SQS-managed encryption without a key grant.
    expect(propertiesOf(template, queue)).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it("grants decrypt-only functions kms:Decrypt and never kms:Encrypt on the credentials key", () => {
    const key = getAtt(stack.credentialsKey.key, "Arn");
    expect(allowedActions(template, stack.functionNamed(fixture.queueConsumer.name), key)).toEqual(["kms:Decrypt"]);
    expect(allowedActions(template, stack.functionNamed(fixture.credentialsWriter.name), key).sort()).toEqual(["kms:Decrypt", "kms:Encrypt"]);
    expect(allowedActions(template, stack.functionNamed(fixture.streamConsumer.name), key)).toEqual([]);
  });

  it("routes through the wiring's authorizer header and cache TTL, and leaves public routes open", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      IdentitySource: ["$request.header.X-Api-Key"],
      AuthorizerResultTtlInSeconds: 120,
      EnableSimpleResponses: true,
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "GET /orders/{id}", AuthorizationType: "CUSTOM" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "POST /webhooks/{platform}", AuthorizationType: "NONE" });
  });

  it("raises an alarm as soon as any dead-letter queue holds a message", () => {
    // The wiring's three queues, the stream consumer's failures, the schedule's failures, undelivered email events.
    expect(stack.deadLetterQueues).toHaveLength(6);
    for (const deadLetters of stack.deadLetterQueues) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: getAtt(deadLetters.queue, "QueueName") }],
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
      });
    }
  });

  it("passes cdk-nag's AwsSolutions pack with every finding acknowledged", () => {
    expect(nagFindings(hub)).toEqual([]);
  });
});

describe("checks that fail fast", () => {
  it("cdk-nag reports an unacknowledged finding (the nag tests above can fail)", () => {
    const app = new App();
    const stack = new Stack(app, "Bare");
    new sqs.Queue(stack, "Plain");
    const rules = new AwsSolutionsChecks(app).validateScope(stack).violations.map((violation) => violation.ruleName);
    expect(rules).toEqual(expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4"]));
  });

  it("cdk-nag reports an unacknowledged finding inside a nested stack (the nag tests above look into the function stacks)", () => {
    const app = new App();
    const stack = new Stack(app, "Parent");
    new sqs.Queue(new NestedStack(stack, "Child"), "Plain");
    const violations = new AwsSolutionsChecks(app).validateScope(stack).violations;
    expect(violations.map((violation) => violation.ruleName)).toEqual(expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4"]));
    expect(violations.flatMap((violation) => violation.violatingResources.map((resource) => resource.constructPath))).toContain("Parent/Child/Plain/Resource");
  });

  it("refuses an HTTP function whose operation has no tag to group it by", () => {
    const untagged = fixture.publicRoute.trigger.type === "http" ? { ...fixture.publicRoute.trigger.operation, tags: [] } : undefined;
    const wiring = { functions: [{ ...fixture.publicRoute, trigger: { type: "http" as const, operation: untagged! } }], queues: [fixture.syncQueue] };
    expect(() => new HubStack(new App(), "Broken", { wiring })).toThrow(/platform-webhook is an HTTP function, but its operation has no tag/);
  });

  it("refuses a wiring whose consumer reads a queue that does not exist", () => {
    const wiring = { functions: [{ ...fixture.queueConsumer, trigger: { type: "queue" as const, queue: "missing", batchSize: 1 } }], queues: [] };
    expect(() => new HubStack(new App(), "Broken", { wiring })).toThrow(/consumes missing, which the wiring does not define/);
  });

  it("refuses a queue that would hide messages for less time than its consumer may run", () => {
    const wiring = { functions: [fixture.queueConsumer], queues: [{ ...fixture.syncQueue, visibilityTimeoutSeconds: 30 }] };
    expect(() => new HubStack(new App(), "Broken", { wiring })).toThrow(/hides messages for 30 s, less than sync-worker's timeout of 60 s/);
  });

  it("refuses an email sender when the wiring has no email-events queue", () => {
    const wiring = { functions: [fixture.emailSender], queues: [fixture.emailQueue] };
    expect(() => new HubStack(new App(), "Broken", { wiring })).toThrow(
      /email-worker send email, but the wiring has no email-events queue: bounces and complaints would be lost/,
    );
  });

  it("refuses an email sender that is an HTTP route", () => {
    const wiring = { functions: [{ ...fixture.publicRoute, access: { sendEmail: true } }], queues: [fixture.emailEventsQueue] };
    expect(() => new HubStack(new App(), "Broken", { wiring })).toThrow(/platform-webhook sends email but is an HTTP route/);
  });

  it("refuses a sender address that is not one email address", () => {
    const wiring = { functions: [fixture.emailSender], queues: [fixture.emailQueue, fixture.emailEventsQueue] };
    expect(() => build(wiring, { [SENDER_EMAIL_CONTEXT]: "shop.example" })).toThrow(/senderEmail must be one email address/);
  });

  it("refuses a role-protected route when no function is an authorizer", () => {
    const wiring = { functions: [fixture.privateRoute], queues: [] };
    expect(() => new HubStack(new App(), "Broken", { wiring })).toThrow(/needs the role viewer, but no function is an authorizer/);
  });
});

describe("email events in other wirings", () => {
  it("creates none of them when the wiring neither sends email nor has the email-events queue", () => {
    const { stack, template } = build({ functions: [fixture.queueConsumer], queues: [fixture.syncQueue] });
    expect(stack.emailEvents).toBeUndefined();
    for (const type of ["AWS::SES::ConfigurationSet", "AWS::SES::ConfigurationSetEventDestination", "AWS::SNS::Topic", "AWS::SNS::Subscription"]) {
      template.resourceCountIs(type, 0);
    }
  });

  it("brings bounces back once the email-events queue exists, even before any function sends email", () => {
    const hub = build({ functions: [fixture.emailEventsWorker], queues: [fixture.emailEventsQueue] });
    hub.template.resourceCountIs("AWS::SES::ConfigurationSet", 1);
    hub.template.resourceCountIs("AWS::SNS::Subscription", 1);
    expect(nagFindings(hub)).toEqual([]);
  });

  it("takes the sender address from the senderEmail context value", () => {
    const wiring = { functions: [fixture.emailSender], queues: [fixture.emailQueue, fixture.emailEventsQueue] };
    const { stack, template } = build(wiring, { [SENDER_EMAIL_CONTEXT]: "orders@shop.example" });
    expect(environmentOf(template, stack.functionNamed(fixture.emailSender.name))[SENDER_EMAIL_ENV]).toBe("orders@shop.example");
  });
});
