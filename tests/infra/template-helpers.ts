/** Reading a synthesized template in terms of the constructs that produced it. */
import { NestedStack, Stack, type CfnElement } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import type { HubFunction } from "../../infra/constructs/hub-function";

export interface Statement {
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: unknown[];
  Condition?: Record<string, unknown>;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

interface TemplateJson {
  Resources: Resources;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown }>;
  [section: string]: unknown;
}

/** The templates of a stack and of every stack nested in it. */
export interface StackTemplates {
  /** The template of the stack itself. */
  parent: Template;
  /** The template of each stack, the stack itself included. */
  byStack: Map<Stack, Template>;
  /**
   * Every resource of every one of these templates in one template, with what
   * crosses a stack boundary followed to where it comes from: a nested stack's
   * parameter becomes the value its parent passes (`{ Ref: <parameter> }` in a
   * function's environment reads as `{ Ref: <table> }`), and a nested stack's
   * output read by its parent becomes the output's value. Assertions about a
   * resource and what it references read the same wherever the two live.
   */
  all: Template;
}

/** Gathers the templates of the stack and of all its nested stacks (synthesizing the app). */
export function templatesOf(stack: Stack): StackTemplates {
  const stacks = [stack, ...stack.node.findAll().filter((construct): construct is NestedStack => NestedStack.isNestedStack(construct))];
  const byStack = new Map(stacks.map((each) => [each, Template.fromStack(each)] as const));
  const json = (of: Stack) => byStack.get(of)!.toJSON() as TemplateJson;

  /** The nested stack behind a resource of `of`, if the resource is one. */
  const nestedBehind = (of: Stack, logicalId: string) =>
    stacks.find((each) => each.nestedStackParent === of && of.getLogicalId((each as NestedStack).nestedStackResource!) === logicalId);

  const follow = (of: Stack, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((item) => follow(of, item));
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && typeof object.Ref === "string" && of.nestedStackParent && json(of).Parameters?.[object.Ref]) {
      const parent = of.nestedStackParent;
      const nestedStackResource = json(parent).Resources[parent.getLogicalId((of as NestedStack).nestedStackResource!)]!;
      const passed = (nestedStackResource.Properties?.Parameters as Record<string, unknown> | undefined)?.[object.Ref];
      if (passed === undefined) throw new Error(`${parent.node.path} passes nothing for the parameter ${object.Ref} of ${of.node.path}`);
      return follow(parent, passed);
    }
    const getAtt = object["Fn::GetAtt"];
    if (keys.length === 1 && Array.isArray(getAtt) && typeof getAtt[0] === "string" && typeof getAtt[1] === "string" && getAtt[1].startsWith("Outputs.")) {
      const nested = nestedBehind(of, getAtt[0]);
      const output = nested && json(nested).Outputs?.[getAtt[1].slice("Outputs.".length)];
      if (!nested || !output) throw new Error(`${of.node.path} reads ${getAtt.join(".")}, which no nested stack outputs`);
      return follow(nested, output.Value);
    }
    return Object.fromEntries(keys.map((key) => [key, follow(of, object[key])]));
  };

  const merged: TemplateJson = { ...json(stack), Resources: {} };
  for (const each of stacks) {
    for (const [logicalId, resource] of Object.entries(json(each).Resources)) {
      if (merged.Resources[logicalId]) throw new Error(`${logicalId} is a resource of more than one stack`);
      merged.Resources[logicalId] = follow(each, resource) as Resources[string];
    }
  }
  merged.Outputs = follow(stack, json(stack).Outputs ?? {}) as TemplateJson["Outputs"];
  return { parent: byStack.get(stack)!, byStack, all: Template.fromJSON(merged) };
}

/** The template of the stack a construct belongs to. */
export function templateOf(templates: StackTemplates, construct: IConstruct): Template {
  const template = templates.byStack.get(Stack.of(construct));
  if (!template) throw new Error(`${construct.node.path} is in none of these stacks`);
  return template;
}

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
