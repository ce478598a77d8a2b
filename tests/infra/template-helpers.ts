/** Reading a synthesized template in terms of the constructs that produced it. */
import { Stack, type CfnElement } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import type { HubFunction } from "../../infra/constructs/hub-function";

export interface Statement {
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: unknown[];
  Condition?: Record<string, unknown>;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The logical id of an L2 construct's CloudFormation resource (or of an L1 itself). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

export const ref = (construct: IConstruct) => ({ Ref: logicalIdOf(construct) });
export const getAtt = (construct: IConstruct, attribute: string) => ({ "Fn::GetAtt": [logicalIdOf(construct), attribute] });

export function resources(template: Template): Resources {
  return template.toJSON().Resources as Resources;
}

export function propertiesOf(template: Template, construct: IConstruct): Record<string, unknown> {
  const resource = resources(template)[logicalIdOf(construct)];
  if (!resource) throw new Error(`No resource for ${construct.node.path}`);
  return resource.Properties ?? {};
}

export function environmentOf(template: Template, fn: HubFunction): Record<string, unknown> {
  const environment = propertiesOf(template, fn.function).Environment as { Variables?: Record<string, unknown> } | undefined;
  return environment?.Variables ?? {};
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every statement of every policy attached to the function's role. */
export function statementsOf(template: Template, fn: HubFunction): Statement[] {
  const role = ref(fn.role);
  return Object.values(resources(template))
    .filter((resource) => resource.Type === "AWS::IAM::Policy")
    .filter((policy) => asArray(policy.Properties?.Roles).some((attached) => JSON.stringify(attached) === JSON.stringify(role)))
    .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement)
    .map((statement) => ({
      Effect: statement.Effect as Statement["Effect"],
      Action: asArray(statement.Action as string | string[]),
      Resource: asArray(statement.Resource),
      Condition: statement.Condition as Statement["Condition"],
    }));
}

/** Actions the function may perform, optionally only those on one resource (compared as CloudFormation values). */
export function allowedActions(template: Template, fn: HubFunction, resource?: unknown): string[] {
  return statementsOf(template, fn)
    .filter((statement) => statement.Effect === "Allow")
    .filter((statement) => resource === undefined || statement.Resource.some((r) => JSON.stringify(r) === JSON.stringify(resource)))
    .flatMap((statement) => statement.Action);
}
