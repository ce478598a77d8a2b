/**
 * The HTTP API: one route per HTTP operation of the wiring, the API key
 * authorizer on every route that needs a role, access logs and throttling on
 * the default stage.
 */
import { Duration } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as logs from "aws-cdk-lib/aws-logs";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import { Construct } from "constructs";
import type { Operation } from "../../shared/api/operation";
import type { HubFunction } from "./hub-function";
import { LOG_RETENTION } from "./hub-function";
import { acknowledge } from "./nag";

export const THROTTLE = { burstLimit: 200, rateLimit: 100 } as const;

export interface ApiKeyAuthorizerOptions {
  fn: HubFunction;
  /** The request header that carries the API key. */
  identityHeader: string;
  cacheTtlSeconds: number;
}

export interface HubApiProps {
  /** Required as soon as one route needs a role. */
  authorizer?: ApiKeyAuthorizerOptions;
}

/** HTTP API context variables, one JSON object per request. */
const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  routeKey: "$context.routeKey",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
  keyId: "$context.authorizer.key_id",
};

export class HubApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  private readonly authorizer?: HttpLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: HubApiProps) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, "Api", {
      description: "Ocean Commerce Hub API",
      // The default stage is created below, with access logs and throttling.
      createDefaultStage: false,
    });

    this.accessLogs = new logs.LogGroup(this, "AccessLogs", { retention: LOG_RETENTION });
    this.stage = this.api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    if (props.authorizer) {
      const { fn, identityHeader, cacheTtlSeconds } = props.authorizer;
      this.authorizer = new HttpLambdaAuthorizer("ApiKeyAuthorizer", fn.function, {
        // Simple responses: the authorizer answers allow/deny plus a context, no IAM policy.
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        identitySource: [`$request.header.${identityHeader}`],
        resultsCacheTtl: Duration.seconds(cacheTtlSeconds),
      });
    }
  }

  /** Routes the operation to the function; operations with a role go through the API key authorizer. */
  addOperation(name: string, operation: Operation, fn: HubFunction): apigw.HttpRoute {
    if (operation.role && !this.authorizer) {
      throw new Error(`${name} needs the role ${operation.role}, but the wiring has no authorizer function`);
    }
    const route = new apigw.HttpRoute(this, `Route-${name}`, {
      httpApi: this.api,
      routeKey: apigw.HttpRouteKey.with(operation.path, apigw.HttpMethod[operation.method]),
      integration: new HttpLambdaIntegration(`Integration-${name}`, fn.function, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
      authorizer: operation.role ? this.authorizer : new apigw.HttpNoneAuthorizer(),
    });
    if (!operation.role) {
      acknowledge(
        route,
        "AwsSolutions-APIG4",
        `${operation.method} ${operation.path} is public by design (the operation declares no role): platform webhooks verify their own signatures and the OpenAPI document is public.`,
      );
    }
    return route;
  }

  get url(): string {
    return this.stage.url;
  }
}
