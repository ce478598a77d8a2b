/**
 * Every function of the hub, built one way: one runtime and architecture,
 * X-Ray tracing, JSON logs into a log group of its own with a retention, the
 * shared esbuild options, and a role of its own that starts with nothing but
 * the right to write to that log group. Access to anything else is granted
 * per function, from the wiring.
 */
import { join } from "node:path";
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat, type BundlingOptions } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { esbuildOptions } from "../bundling";
import { rootStackOf } from "./function-stacks";
import type { HubTable } from "./hub-table";
import { acknowledgeWildcard, attributeReference } from "./nag";

export const RUNTIME = lambda.Runtime.NODEJS_24_X;
export const ARCHITECTURE = lambda.Architecture.ARM_64;
export const DEFAULT_MEMORY_MB = 512;
export const DEFAULT_TIMEOUT_SECONDS = 10;
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;
export const SERVICE_NAME = "ocean-commerce-hub";

export interface HubFunctionProps {
  /** The wiring's kebab-case name; the deployed function is named `<stack>-<name>`, after the top-level stack even in a nested one. */
  name: string;
  /** Absolute path of the handler module. */
  entry: string;
  /** Root of the repository: where esbuild resolves imports and finds the lock file. */
  projectRoot: string;
  memoryMb?: number;
  timeoutSeconds?: number;
}

/** NodejsFunction's options for the esbuild settings that the benchmark measures (infra/bundling.ts). */
export function bundlingOptions(): BundlingOptions {
  return {
    minify: esbuildOptions.minify,
    sourceMap: esbuildOptions.sourcemap,
    target: esbuildOptions.target,
    format: esbuildOptions.format === "esm" ? OutputFormat.ESM : OutputFormat.CJS,
    mainFields: [...esbuildOptions.mainFields],
    banner: esbuildOptions.banner.js,
    // The SDK is bundled and tree-shaken rather than taken from the runtime, so each
    // function carries only the clients it imports, at the version we tested.
    bundleAwsSDK: true,
    externalModules: [],
    esbuildArgs: {
      "--tree-shaking": String(esbuildOptions.treeShaking),
      "--legal-comments": esbuildOptions.legalComments,
    },
  };
}

export class HubFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: HubFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, "Logs", { retention: LOG_RETENTION });

    // A role of our own instead of the AWS-managed basic execution policy, which
    // would let the function create and write to any log group in the account.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs the ${props.name} function of the commerce hub`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, "Function", {
      functionName: `${rootStackOf(this).stackName}-${props.name}`,
      entry: props.entry,
      handler: "handler",
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, "package-lock.json"),
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: props.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: bundlingOptions(),
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        ...(esbuildOptions.sourcemap ? { NODE_OPTIONS: "--enable-source-maps" } : {}),
      },
    });

    this.errorsAlarm = new cloudwatch.Alarm(this, "Errors", {
      alarmDescription: `The ${props.name} function failed`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    acknowledgeWildcard(
      this.role,
      "Resource::*",
      "X-Ray's PutTraceSegments and PutTelemetryRecords (added for active tracing) do not support resource-level permissions.",
    );
  }

  addEnvironment(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }

  addToRolePolicy(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }

  /** Read-only or read-write access to the table, and its name in TABLE_NAME. */
  bindTable(hubTable: HubTable, access: "read" | "readWrite"): void {
    const { table } = hubTable;
    this.addEnvironment("TABLE_NAME", table.tableName);
    if (access === "read") table.grantReadData(this.function);
    else table.grantReadWriteData(this.function);

    if (hubTable.indexNames.length > 0) {
      acknowledgeWildcard(
        this.role,
        `Resource::${attributeReference(table.node.defaultChild as dynamodb.CfnTable, "Arn", this)}/index/*`,
        `Access patterns are served by the table's global secondary indexes (${hubTable.indexNames.join(", ")}); index/* is scoped to this one table.`,
      );
    }
    if (access === "readWrite") {
      const reason =
        "The table is encrypted with its own customer-managed key; DynamoDB's read-write grant needs the key's data-key actions, on that one key only.";
      acknowledgeWildcard(this.role, "Action::kms:GenerateDataKey*", reason);
      acknowledgeWildcard(this.role, "Action::kms:ReEncrypt*", reason);
    }
  }
}
