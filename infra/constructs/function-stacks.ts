/**
 * The functions live in CloudFormation nested stacks, one per group, so that
 * no template comes near CloudFormation's 500-resource limit as functions are
 * added. A function's group follows from the wiring alone: an HTTP function
 * goes with the other operations of its API tag (its operation's first tag:
 * Orders, Carts, ...), the authorizer and every asynchronous function (stream,
 * queue and schedule triggers) go to Processing. A function keeps its group
 * while others are added or removed, so adding a function never moves (and
 * so never replaces) another one. Each function's triggers and their
 * dead-letter queues are created under the function, so they live in its
 * nested stack too; the shared resources stay in the parent stack.
 */
import { NestedStack, Stack } from "aws-cdk-lib";
import type { Construct, IConstruct } from "constructs";
import type { FunctionSpec } from "../wiring";

/** The group of the authorizer and of every function that is not an HTTP route. */
export const PROCESSING_GROUP = "Processing";

/** A tag as a construct id: "Product variants" becomes "ProductVariants". */
function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

/** The group a function of the wiring belongs to. */
export function functionGroupOf(spec: FunctionSpec): string {
  if (spec.trigger.type !== "http") return PROCESSING_GROUP;
  const tag = spec.trigger.operation.tags[0];
  const group = tag === undefined ? "" : pascalCase(tag);
  if (group === "") throw new Error(`${spec.name} is an HTTP function, but its operation has no tag to group it by`);
  return group;
}

/** The nested stack of one group of functions. */
export class FunctionStack extends NestedStack {
  readonly group: string;

  constructor(scope: Construct, group: string) {
    super(scope, `Functions-${group}`, { description: `Ocean Commerce Hub: ${group} functions` });
    this.group = group;
  }
}

/** The top-level stack a construct is deployed with: the parent of a nested stack, or the stack itself. */
export function rootStackOf(construct: IConstruct): Stack {
  let stack = Stack.of(construct);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}
