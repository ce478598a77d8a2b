/**
 * Mistakes in the wiring that CloudFormation would only report halfway
 * through a deployment (or never), caught at synth time instead.
 */
import type { FunctionSpec, QueueSpec } from "../wiring";
import { DEFAULT_TIMEOUT_SECONDS } from "./hub-function";

export interface Wiring {
  functions: FunctionSpec[];
  queues: QueueSpec[];
}

export function checkWiring({ functions, queues }: Wiring): void {
  const problems: string[] = [];
  const queuesByName = new Map(queues.map((queue) => [queue.name, queue]));

  const duplicates = (names: string[]) => names.filter((name, index) => names.indexOf(name) !== index);
  for (const name of duplicates(functions.map((fn) => fn.name))) problems.push(`function ${name} is defined twice`);
  for (const name of duplicates(queues.map((queue) => queue.name))) problems.push(`queue ${name} is defined twice`);

  const authorizers = functions.filter((fn) => fn.trigger.type === "authorizer");
  if (authorizers.length > 1) problems.push(`only one authorizer is supported, found ${authorizers.map((fn) => fn.name).join(", ")}`);

  const routeKeys = functions.flatMap((fn) => (fn.trigger.type === "http" ? [`${fn.trigger.operation.method} ${fn.trigger.operation.path}`] : []));
  for (const key of duplicates(routeKeys)) problems.push(`route ${key} is served by more than one function`);

  for (const fn of functions) {
    for (const target of fn.access.sendTo ?? []) {
      if (!queuesByName.has(target)) problems.push(`${fn.name} sends to ${target}, which the wiring does not define`);
    }
    if (fn.trigger.type === "http" && fn.trigger.operation.role && authorizers.length === 0) {
      problems.push(`${fn.name} needs the role ${fn.trigger.operation.role}, but no function is an authorizer`);
    }
    if (fn.trigger.type === "queue") {
      const queue = queuesByName.get(fn.trigger.queue);
      const timeout = fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      if (!queue) problems.push(`${fn.name} consumes ${fn.trigger.queue}, which the wiring does not define`);
      // Lambda refuses the event source mapping otherwise: a message would reappear while still being processed.
      else if (queue.visibilityTimeoutSeconds < timeout) {
        problems.push(`queue ${queue.name} hides messages for ${queue.visibilityTimeoutSeconds} s, less than ${fn.name}'s timeout of ${timeout} s`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`The wiring is inconsistent:\n- ${problems.join("\n- ")}`);
}
