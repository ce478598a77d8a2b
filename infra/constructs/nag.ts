/**
 * Acknowledging cdk-nag findings. cdk-nag 3 reads acknowledgements from CDK's
 * own `Validations.of(scope).acknowledge()`: an acknowledgement covers the
 * construct it is recorded on and everything below it, and each finding of a
 * multi-finding rule (AwsSolutions-IAM5) is acknowledged by its own id. Every
 * acknowledgement here is recorded next to the code that causes the finding,
 * so the reason stays true when that code changes.
 */
import { Stack, Validations, type CfnElement } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}

/** AwsSolutions-IAM5 reports each wildcard action or resource of a policy as its own finding. */
export function acknowledgeWildcard(scope: IConstruct, finding: `Action::${string}` | `Resource::${string}`, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[${finding}]`, reason);
}

/**
 * How cdk-nag spells an attribute of a resource inside a finding, e.g.
 * `<HubTable1A2B3C4D.Arn>`: it flattens `Fn::GetAtt` to `<LogicalId.Attribute>`.
 */
export function attributeReference(resource: CfnElement, attribute: string): string {
  return `<${Stack.of(resource).getLogicalId(resource)}.${attribute}>`;
}
