/**
 * Acknowledging cdk-nag findings. cdk-nag 3 reads acknowledgements from CDK's
 * own `Validations.of(scope).acknowledge()`: an acknowledgement covers the
 * construct it is recorded on and everything below it, and each finding of a
 * multi-finding rule (AwsSolutions-IAM5) is acknowledged by its own id. Every
 * acknowledgement here is recorded next to the code that causes the finding,
 * so the reason stays true when that code changes.
 */
import { Names, Stack, Validations, type CfnElement } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}

/** AwsSolutions-IAM5 reports each wildcard action or resource of a policy as its own finding. */
export function acknowledgeWildcard(scope: IConstruct, finding: `Action::${string}` | `Resource::${string}`, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[${finding}]`, reason);
}

/**
 * How cdk-nag spells an attribute of a resource inside a finding of a resource
 * in the `consumer`'s stack, e.g. `<HubTable1A2B3C4D.Arn>`: it flattens
 * `Fn::GetAtt` to `<LogicalId.Attribute>` and `Ref` to `<LogicalId>`. In a
 * nested stack, an attribute of a resource of a parent stack arrives as the
 * parameter CDK creates for it, named `referenceto<unique id of the
 * resource><attribute>`, so the finding names that parameter.
 */
export function attributeReference(resource: CfnElement, attribute: string, consumer: IConstruct = resource): string {
  const producer = Stack.of(resource);
  const consuming = Stack.of(consumer);
  if (consuming === producer) return `<${producer.getLogicalId(resource)}.${attribute}>`;
  if (!isNestedIn(consuming, producer)) {
    throw new Error(`${consumer.node.path} can only reference ${resource.node.path} from its own stack or a stack nested in it`);
  }
  return `<${`referenceto${Names.nodeUniqueId(resource.node)}${attribute}`.replace(/[^A-Za-z0-9]/g, "")}>`;
}

function isNestedIn(stack: Stack, ancestor: Stack): boolean {
  for (let parent = stack.nestedStackParent; parent; parent = parent.nestedStackParent) if (parent === ancestor) return true;
  return false;
}
