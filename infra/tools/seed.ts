/**
 * `npm run seed`: loads the specification's sample data into the running
 * local hub (`npm start`) through its API and webhook endpoints. Loading
 * twice changes nothing. `npm start -- --seed` does the same at start.
 */
import { useTableTarget } from "./table-target";

async function main(): Promise<void> {
  useTableTarget({});
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const url = process.env.HUB_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4000}`;
  const { loadSampleDataInto } = await import("./sample-data");
  const summary = await loadSampleDataInto(url);
  console.log(`Sample data loaded into ${url}: ${summary.created} created, ${summary.unchanged} already there.`);
  console.log(`Storefronts: ${Object.entries(summary.storefronts).map(([code, id]) => `${code} = ${id}`).join(", ")}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
