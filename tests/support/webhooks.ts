/**
 * Sample deliveries from events/ and the platforms' signatures, for tests
 * that send webhooks over HTTP to the local stack.
 */
import { join } from "node:path";
import { readSampleDelivery, signedHeaders, type SampleDelivery } from "../../infra/tools/sample-deliveries";

export type { SampleDelivery };

/** Reads events/<folder>/<name>.json. */
export const sampleDelivery = (folder: "shopify" | "woocommerce" | "generic", name: string): SampleDelivery => readSampleDelivery(join("events", folder, `${name}.json`));

export const shopifyHeaders = (body: string, secret: string, headers: Record<string, string>) => signedHeaders("shopify", body, secret, headers);
export const wooHeaders = (body: string, secret: string, headers: Record<string, string>) => signedHeaders("woocommerce", body, secret, headers);
export const genericHeaders = (body: string, secret: string, headers: Record<string, string> = {}, at = Math.floor(Date.now() / 1000)) => signedHeaders("generic", body, secret, headers, at);
