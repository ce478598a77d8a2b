/**
 * Every bench suite, in the order `npm run bench` runs them. A new suite is a
 * module under suites/ exporting a Suite, plus one line here.
 */
import type { Suite } from "./suite";
import { analyticsSuite } from "./suites/analytics";
import { bundlesSuite } from "./suites/bundles";
import { cartsSuite } from "./suites/carts";
import { catalogSuite } from "./suites/catalog";
import { ordersSuite } from "./suites/orders";
import { propagationSuite } from "./suites/propagation";
import { syncSuite } from "./suites/sync";
import { webhooksSuite } from "./suites/webhooks";

export const suites: Suite[] = [bundlesSuite, catalogSuite, ordersSuite, webhooksSuite, cartsSuite, analyticsSuite, syncSuite, propagationSuite];

/** The suites to run: the named ones in registry order, or all when none are named. */
export function selectSuites(names: string[]): Suite[] {
  if (names.length === 0) return suites;
  const unknown = names.filter((name) => !suites.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    throw new Error(`Unknown suite ${unknown.join(", ")}; available: ${suites.map((suite) => suite.name).join(", ")}`);
  }
  return suites.filter((suite) => names.includes(suite.name));
}
