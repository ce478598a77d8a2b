/**
 * The CDK app: the hub's stack, checked by cdk-nag's AwsSolutions pack. A
 * finding that is not acknowledged (with its reason, next to the code that
 * causes it) fails the synth.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { App, Validations, type AppProps } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { HubStack, type Wiring } from "./stack";

export const STACK_ID = "OceanCommerceHub";

export interface HubApp {
  app: App;
  stack: HubStack;
  /** The rule pack registered on the app; tests run it directly with `validateScope`. */
  nag: AwsSolutionsChecks;
}

export function buildApp(wiring?: Wiring, appProps?: AppProps): HubApp {
  const app = new App(appProps);
  const stack = new HubStack(app, STACK_ID, {
    wiring,
    description: "Ocean Commerce Hub: e-commerce integration hub of the Ocean ERP",
  });
  // cdk-nag 3 is a policy-validation plugin (no longer an Aspect): it runs after synthesis.
  const nag = new AwsSolutionsChecks(app, { verbose: true });
  Validations.of(app).addPlugins(nag);
  return { app, stack, nag };
}

const runAsMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsMain) buildApp();
