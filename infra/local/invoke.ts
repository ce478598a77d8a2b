import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { Context } from "aws-lambda";
import type { FunctionSpec } from "../wiring";

/** A function's handler as the local stack calls it: the same export Lambda calls. */
export type LoadedHandler = (event: unknown, context: Context) => Promise<unknown>;

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

export async function loadHandler(spec: FunctionSpec): Promise<LoadedHandler> {
  const module = (await import(pathToFileURL(resolve(REPO_ROOT, spec.entry)).href)) as { handler?: LoadedHandler };
  if (typeof module.handler !== "function") throw new Error(`${spec.entry} does not export a handler`);
  return module.handler;
}

/** A Lambda context object with the fields AWS provides. */
export function lambdaContext(spec: FunctionSpec): Context {
  const deadline = Date.now() + (spec.timeoutSeconds ?? 10) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `ocean-commerce-hub-${spec.name}`,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:ocean-commerce-hub-${spec.name}`,
    memoryLimitInMB: String(spec.memoryMb ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/ocean-commerce-hub-${spec.name}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function invoke(spec: FunctionSpec, handler: LoadedHandler, event: unknown): Promise<unknown> {
  return handler(event, lambdaContext(spec));
}
