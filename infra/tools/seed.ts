/**
 * `npm run seed`: loads the specification's sample data into the running
 * local hub (`npm start`) through its API and webhook endpoints. Loading
 * twice changes nothing. `npm start -- --seed` does the same at start.
 *
 * `npm run seed -- --orders 10000 [--days 90] [--seed 42]` then generates a
 * larger, realistic data set (see generate-data/) and waits for the stream
 * processors to count it. Running it again with the same seed writes nothing.
 */
import { parseArgs } from "node:util";
import { useTableTarget } from "./table-target";

const USAGE = `Usage:
  npm run seed [-- --orders <N> [--days <D>] [--seed <S>] [--until <time>]]
Options:
  --orders <N>   also generate N orders (with customers and carts) over the last D days
  --days <D>     the period of the generated orders, in days (default 90)
  --seed <S>     the generator's seed (default 42): the same seed names the same orders, carts and customers,
                 and a second run writes nothing
  --until <time> the end of the period (default: now), e.g. 2025-06-30T00:00:00Z: with it, the same seed
                 generates the same orders, carts and customers (ids aside) on any hub`;

const { values } = parseArgs({
  options: {
    orders: { type: "string" },
    days: { type: "string", default: "90" },
    seed: { type: "string", default: "42" },
    until: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

function wholeNumber(value: string, name: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}\n\n${USAGE}`);
    process.exit(2);
  }
  return number;
}

function timestamp(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    console.error(`--until must be a date or an ISO 8601 timestamp\n\n${USAGE}`);
    process.exit(2);
  }
  return date;
}

async function main(): Promise<void> {
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const generation =
    values.orders === undefined
      ? undefined
      : {
          orders: wholeNumber(values.orders, "orders", 1, 1_000_000),
          days: wholeNumber(values.days, "days", 1, 3650),
          seed: wholeNumber(values.seed, "seed", 0, 2 ** 31 - 1),
          now: values.until === undefined ? undefined : timestamp(values.until),
        };
  useTableTarget({});
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const url = process.env.HUB_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4000}`;
  const { loadSampleDataInto } = await import("./sample-data");
  const summary = await loadSampleDataInto(url);
  console.log(`Sample data loaded into ${url}: ${summary.created} created, ${summary.unchanged} already there.`);
  console.log(`Storefronts: ${Object.entries(summary.storefronts).map(([code, id]) => `${code} = ${id}`).join(", ")}`);
  if (!generation) return;

  const { generateData, describeGeneration, waitForOrderCounters, withHubAt } = await import("./generate-data/index");
  await withHubAt(url, async (hub) => {
    const report = await generateData(hub, { ...generation, log: (line) => console.log(line) });
    for (const line of describeGeneration(report)) console.log(line);
    if (report.itemsWritten === 0) return;
    console.log("Waiting for the stream processors to count the orders (GET /api/ecommerce/storefronts)...");
    const caughtUp = await waitForOrderCounters(hub, report);
    console.log(
      caughtUp === undefined
        ? "The order counters had not caught up after 10 minutes; they keep going in the hub."
        : `The order counters caught up ${(caughtUp / 1000).toFixed(1)} s after the writes. \`npm run reconcile\` checks every aggregate once the hub is idle.`,
    );
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
