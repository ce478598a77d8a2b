/**
 * `npm run reconcile [-- --repair]`: recomputes every aggregate the stream
 * processors keep from the source records and lists any drift; `--repair`
 * writes the recomputed values and checks again. Locally (the running
 * `npm start`) or in AWS (`--aws --table <TableName>`). Exit code 1 when
 * drift remains.
 */
import { parseArgs } from "node:util";
import { LOCAL_DYNAMODB_PORT, LOCAL_TABLE_NAME } from "../local/defaults";

const USAGE = `Usage:
  npm run reconcile [-- --repair]
Options:
  --repair                    write the recomputed aggregates (run while no writes are flowing)
  --aws --table <TableName>   act on the deployed table (AWS credentials from the environment)
  --endpoint <url>            DynamoDB endpoint (default: the local stack's, http://127.0.0.1:${LOCAL_DYNAMODB_PORT})`;

const { values } = parseArgs({
  options: {
    repair: { type: "boolean", default: false },
    aws: { type: "boolean", default: false },
    table: { type: "string" },
    endpoint: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

function configure(): void {
  if (values.aws) {
    if (!values.table) {
      console.error(`--aws needs --table <TableName> (the stack's TableName output)\n\n${USAGE}`);
      process.exit(2);
    }
    process.env.TABLE_NAME = values.table;
    return;
  }
  process.env.TABLE_NAME = values.table ?? LOCAL_TABLE_NAME;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = values.endpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? LOCAL_DYNAMODB_PORT}`;
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
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
