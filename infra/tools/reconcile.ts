/**
 * `npm run reconcile [-- --repair]`: recomputes every aggregate the stream
 * processors keep from the source records and lists any drift; `--repair`
 * writes the recomputed values and checks again. Locally (the running
 * `npm start`) or in AWS (`--aws --table <TableName>`). Exit code 1 when
 * drift remains.
 */
import { parseArgs } from "node:util";
import { TABLE_TARGET_OPTIONS, TABLE_TARGET_USAGE, useTableTarget } from "./table-target";

const USAGE = `Usage:
  npm run reconcile [-- --repair]
Options:
  --repair                    write the recomputed aggregates (run while no writes are flowing)
${TABLE_TARGET_USAGE}`;

const { values } = parseArgs({
  options: {
    repair: { type: "boolean", default: false },
    ...TABLE_TARGET_OPTIONS,
    help: { type: "boolean", default: false },
  },
});

function configure(): void {
  const problem = useTableTarget(values);
  if (problem) {
    console.error(`${problem}\n\n${USAGE}`);
    process.exit(2);
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
}

async function main(): Promise<void> {
  if (values.help) {
    console.log(USAGE);
    return;
  }
  configure();
  const { reconcileAggregates, repairDrifts, describeDrift } = await import("../../shared/analytics/reconcile");
  let report = await reconcileAggregates();
  const { orders, carts, products, customers } = report.sources;
  console.log(`Scanned ${report.scannedItems} items: ${orders} orders, ${carts} carts, ${products} products, ${customers} customers.`);
  console.log(report.drifts.length === 0 ? "No drift: every aggregate equals its recomputation." : `${report.drifts.length} drifts:`);
  for (const drift of report.drifts) console.log(`  ${describeDrift(drift)}`);
  if (values.repair && report.drifts.length > 0) {
    console.log(`Repaired ${await repairDrifts(report.drifts)} items; checking again.`);
    report = await reconcileAggregates();
    console.log(report.drifts.length === 0 ? "No drift left." : `${report.drifts.length} drifts left (writes were flowing?).`);
  }
  if (report.drifts.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
