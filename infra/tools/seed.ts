/**
 * `npm run seed`: loads the specification's sample data into the running
 * local hub (`npm start`) through its API and webhook endpoints. Loading
 * twice changes nothing. `npm start -- --seed` does the same at start.
 */
import { LOCAL_DYNAMODB_PORT, LOCAL_TABLE_NAME } from "../local/defaults";

async function main(): Promise<void> {
  process.env.TABLE_NAME ??= LOCAL_TABLE_NAME;
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? LOCAL_DYNAMODB_PORT}`;
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
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
