/**
 * `npm run send-webhook -- <sample file> [--storefront CODE] [--secret S]`:
 * signs a sample delivery of events/ the way its platform does and sends it
 * to the running local hub. Shopify and WooCommerce samples go to their
 * storefront's endpoint, events/generic samples to /webhooks/orders (their
 * storefront_code set to --storefront). The file's delivery id is kept, so
 * sending it twice shows the de-duplication.
 */
import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { readSampleDelivery, signedHeaders, webhookPath, type Platform } from "./sample-deliveries";
import { SAMPLE_WEBHOOK_SECRET } from "./sample-data";

const USAGE = `Usage:
  npm run send-webhook -- events/shopify/orders-create.json [--storefront SHOPIFY-MAIN] [--secret ${SAMPLE_WEBHOOK_SECRET}] [--url http://127.0.0.1:4000]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { storefront: { type: "string", default: "SHOPIFY-MAIN" }, secret: { type: "string", default: SAMPLE_WEBHOOK_SECRET }, url: { type: "string" } },
});

async function main(): Promise<void> {
  const [file] = positionals;
  const platform = basename(dirname(file ?? "")) as Platform;
  if (!file || !["shopify", "woocommerce", "generic"].includes(platform)) {
    console.error(USAGE);
    process.exit(2);
  }
  const sample = readSampleDelivery(file);
  const body = platform === "generic" ? JSON.stringify({ ...JSON.parse(sample.body), storefront_code: values.storefront }) : sample.body;
  const url = `${values.url ?? `http://127.0.0.1:${process.env.PORT ?? 4000}`}${webhookPath(platform, values.storefront!)}`;
  const response = await fetch(url, { method: "POST", headers: signedHeaders(platform, body, values.secret!, sample.headers), body });
  console.log(`POST ${url} (${sample.topic}) -> ${response.status} ${await response.text()}`);
  if (!response.ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
