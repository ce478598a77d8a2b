/**
 * The `bundles` suite: for every function in the wiring, how much its bundle
 * weighs and how long it takes to load, against two baselines — an entry with
 * only the AWS SDK clients the function uses (the floor for that function) and
 * an empty handler (the floor for any function).
 *
 * Targets: a bundle at most 1.2x its SDK-only baseline, and a load time at
 * most 3.0x the empty handler's. Missing a target is reported, not fatal.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { version as esbuildVersion } from "esbuild";
import { functions } from "../../wiring";
import { bundle, type Bundle } from "../bundle";
import { measureLoadTimes, type LoadTarget } from "../load-time";
import { bytesByGroup, bytesInOutput, packageOf, sdkClientsIn, type SdkClientUse } from "../metafile";
import { EMPTY_HANDLER_SOURCE, resolveClientSpecs, sdkOnlyEntrySource, sdkSetKey } from "../sdk-entry";
import { distribution, type Distribution } from "../stats";
import type { Cell, Suite, SuiteContext, SuiteReport, Table } from "../suite";
import { kb, ms, ratio } from "../units";

export const SIZE_RATIO_TARGET = 1.2;
export const LOAD_RATIO_TARGET = 3.0;
const TOP_INPUTS = 5;

/**
 * The child's environment. Some modules read these at import time (the SDK
 * its region, shared/data its table name); the credentials are placeholders
 * since nothing is sent. The instance-metadata lookup is disabled so that a
 * stray credential or region lookup fails fast instead of reaching the network.
 */
export const LOAD_ENV: Record<string, string> = {
  AWS_REGION: "us-east-1",
  TABLE_NAME: "bench",
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "x",
  AWS_EC2_METADATA_DISABLED: "true",
};

const EMPTY_ID = "empty handler";

interface Baseline {
  key: string;
  clients: SdkClientUse[];
  source: string;
  bundle: Bundle;
}

interface FunctionBundle {
  name: string;
  entry: string;
  bundle: Bundle;
  clients: SdkClientUse[];
  baseline: Baseline;
}

/** How a function's bytes split relative to its baseline. */
interface Breakdown {
  /** Output bytes beyond the baseline's. */
  extraBytes: number;
  /** Packages and files absent from the baseline: our code and our other libraries. */
  nonSdkBytes: number;
  /** The repository's own files (part of nonSdkBytes). */
  ownCodeBytes: number;
  /** Growth of packages the baseline has too: commands, marshalling, the parts of the SDK core they pull in. */
  sdkGrowthBytes: number;
  largestSdkGrowth: { group: string; bytes: number } | undefined;
  nonSdkInputs: { group: string; bytes: number }[];
}

export const bundlesSuite: Suite = {
  name: "bundles",
  description: "Bundle size and load time of every function against its SDK-only baseline and an empty handler",
  run,
};

async function run(context: SuiteContext): Promise<SuiteReport> {
  const { repoRoot, workDir } = context;
  context.log(`bundling ${functions.length} functions with esbuild ${esbuildVersion}`);

  const empty = await bundle({ contents: EMPTY_HANDLER_SOURCE, sourcefile: "empty-handler.ts" }, join(workDir, "empty-handler", "index.mjs"), repoRoot);
  const emptyBaseline: Baseline = { key: sdkSetKey([]), clients: [], source: EMPTY_HANDLER_SOURCE, bundle: empty };
  const baselines = new Map<string, Baseline>([[emptyBaseline.key, emptyBaseline]]);

  const bundled: FunctionBundle[] = [];
  for (const spec of functions) {
    const fnBundle = await bundle({ entry: spec.entry }, join(workDir, "functions", spec.name, "index.mjs"), repoRoot);
    const clients = sdkClientsIn(fnBundle.metafile);
    const baseline = baselines.get(sdkSetKey(clients)) ?? (await sdkOnlyBaseline(context, clients, baselines.size));
    baselines.set(baseline.key, baseline);
    bundled.push({ name: spec.name, entry: spec.entry, bundle: fnBundle, clients, baseline });
  }

  const targets: LoadTarget[] = [
    ...bundled.map((fn) => ({ id: functionId(fn.name), file: fn.bundle.file })),
    ...[...baselines.values()].map((baseline) => ({ id: baselineId(baseline), file: baseline.bundle.file })),
  ];
  context.log(`timing ${targets.length} bundles, ${context.runs} runs each (plus one warm-up round)`);
  const samples = measureLoadTimes(targets, {
    runs: context.runs,
    env: LOAD_ENV,
    onRound: (round, runs) => context.log(`  round ${round}/${runs}`),
  });
  const loadOf = (id: string): Distribution => distribution(samples.get(id) ?? []);
  const emptyLoad = loadOf(EMPTY_ID);

  const results = bundled.map((fn) => {
    const load = loadOf(functionId(fn.name));
    const sizeRatio = fn.bundle.bytes / fn.baseline.bundle.bytes;
    const loadRatio = load.median / emptyLoad.median;
    return {
      fn,
      load,
      baselineLoad: loadOf(baselineId(fn.baseline)),
      sizeRatio,
      loadRatio,
      sizePass: sizeRatio <= SIZE_RATIO_TARGET,
      loadPass: loadRatio <= LOAD_RATIO_TARGET,
      breakdown: breakdown(fn),
    };
  });

  const sizeFailures = results.filter((result) => !result.sizePass);
  const loadFailures = results.filter((result) => !result.loadPass);
  const verdict = (label: string, failed: typeof results, show: (result: (typeof results)[number]) => string): string =>
    `${label}: ${results.length - failed.length} of ${results.length} functions meet it` +
    (failed.length > 0 ? `; FAIL: ${failed.map((result) => `${result.fn.name} (${show(result)})`).join(", ")}` : "");

  const tables: Table[] = [
    {
      title: `Per function (KB = 1024 bytes; load = a fresh Node process importing the bundle, median of ${context.runs} runs)`,
      columns: [
        { header: "Function" },
        { header: "Bundle KB", align: "right" },
        { header: "gzip KB", align: "right" },
        { header: "SDK-only KB", align: "right" },
        { header: "Size ratio", align: "right" },
        { header: `<=${SIZE_RATIO_TARGET}x` },
        { header: "Load ms", align: "right" },
        { header: "p90", align: "right" },
        { header: "SDK-only ms", align: "right" },
        { header: "Empty ms", align: "right" },
        { header: "Load ratio", align: "right" },
        { header: `<=${LOAD_RATIO_TARGET.toFixed(1)}x` },
      ],
      rows: results.map((result) => [
        result.fn.name,
        kb(result.fn.bundle.bytes),
        kb(result.fn.bundle.gzipBytes),
        kb(result.fn.baseline.bundle.bytes),
        ratio(result.sizeRatio),
        verdictCell(result.sizePass),
        ms(result.load.median),
        ms(result.load.p90),
        ms(result.baselineLoad.median),
        ms(emptyLoad.median),
        ratio(result.loadRatio),
        verdictCell(result.loadPass),
      ]),
    },
    {
      title: "Baselines (generated entries, bundled with the same options)",
      columns: [
        { header: "SDK clients" },
        { header: "KB", align: "right" },
        { header: "gzip KB", align: "right" },
        { header: "Load ms", align: "right" },
        { header: "p90", align: "right" },
        { header: "Baseline of" },
      ],
      rows: [...baselines.values()].map((baseline) => {
        const load = loadOf(baselineId(baseline));
        const users = bundled.filter((fn) => fn.baseline === baseline).map((fn) => fn.name);
        return [
          baseline === emptyBaseline ? `${EMPTY_ID} (no SDK)` : baseline.key,
          kb(baseline.bundle.bytes),
          kb(baseline.bundle.gzipBytes),
          ms(load.median),
          ms(load.p90),
          users.join(", ") || "-",
        ];
      }),
    },
    {
      title: "Where the bytes beyond the SDK-only baseline come from (KB)",
      columns: [
        { header: "Function" },
        { header: "SDK clients in bundle" },
        { header: "Extra", align: "right" },
        { header: "Non-SDK", align: "right" },
        { header: "of it own code", align: "right" },
        { header: "SDK growth", align: "right" },
        { header: "Largest SDK growth" },
      ],
      rows: results.map(({ fn, breakdown: parts }) => [
        fn.name,
        sdkSetKey(fn.clients),
        kb(parts.extraBytes),
        kb(parts.nonSdkBytes),
        kb(parts.ownCodeBytes),
        kb(parts.sdkGrowthBytes),
        parts.largestSdkGrowth ? `${parts.largestSdkGrowth.group} +${kb(parts.largestSdkGrowth.bytes)}` : "-",
      ]),
    },
    {
      title: `Largest ${TOP_INPUTS} non-SDK inputs per function (bytes in the minified output)`,
      columns: [{ header: "Function" }, { header: "Package or file" }, { header: "KB", align: "right" }, { header: "% of bundle", align: "right" }],
      rows: results.flatMap(({ fn, breakdown: parts }) =>
        parts.nonSdkInputs.slice(0, TOP_INPUTS).map((input, index): Cell[] => [
          index === 0 ? fn.name : "",
          input.group,
          kb(input.bytes),
          `${((100 * input.bytes) / fn.bundle.bytes).toFixed(1)}%`,
        ]),
      ),
    },
  ];

  return {
    tables,
    summary: [
      verdict(`Size target (bundle <= ${SIZE_RATIO_TARGET}x its SDK-only baseline)`, sizeFailures, (result) => ratio(result.sizeRatio)),
      verdict(`Load target (load <= ${LOAD_RATIO_TARGET.toFixed(1)}x the empty handler)`, loadFailures, (result) => ratio(result.loadRatio)),
    ],
    notes: [
      `esbuild ${esbuildVersion} with the options of infra/bundling.ts; ${context.runs} timed runs per bundle after one warm-up round, interleaved round-robin.`,
      "A function with no SDK client is compared with the empty handler. A client reached only by dynamic import() is in the bundle but runs on first use; its baseline imports it the same way (marked lazy).",
      "Non-SDK: packages and files absent from the baseline. SDK growth: what packages present in the baseline add in the function (commands, marshalling).",
    ],
    failures: sizeFailures.length + loadFailures.length,
    figures: {
      esbuild: esbuildVersion,
      runs: context.runs,
      targets: { sizeRatio: SIZE_RATIO_TARGET, loadRatio: LOAD_RATIO_TARGET },
      emptyHandler: { bytes: empty.bytes, gzipBytes: empty.gzipBytes, loadMs: emptyLoad, samplesMs: samples.get(EMPTY_ID) },
      baselines: [...baselines.values()].map((baseline) => ({
        clients: baseline.clients,
        source: baseline.source,
        bytes: baseline.bundle.bytes,
        gzipBytes: baseline.bundle.gzipBytes,
        loadMs: loadOf(baselineId(baseline)),
        samplesMs: samples.get(baselineId(baseline)),
      })),
      functions: results.map((result) => ({
        name: result.fn.name,
        entry: result.fn.entry,
        bytes: result.fn.bundle.bytes,
        gzipBytes: result.fn.bundle.gzipBytes,
        sdkClients: result.fn.clients,
        baselineBytes: result.fn.baseline.bundle.bytes,
        sizeRatio: result.sizeRatio,
        sizePass: result.sizePass,
        loadMs: result.load,
        samplesMs: samples.get(functionId(result.fn.name)),
        loadRatio: result.loadRatio,
        loadPass: result.loadPass,
        breakdown: result.breakdown,
      })),
    },
  };
}

const functionId = (name: string): string => `function ${name}`;

const baselineId = (baseline: Baseline): string => (baseline.clients.length === 0 ? EMPTY_ID : `sdk-only ${baseline.key}`);

const verdictCell = (pass: boolean): Cell => (pass ? { text: "PASS", tone: "pass" } : { text: "FAIL", tone: "fail" });

/** Generates, writes (for --keep) and bundles the SDK-only entry for one set of clients. */
async function sdkOnlyBaseline(context: SuiteContext, clients: SdkClientUse[], index: number): Promise<Baseline> {
  const source = sdkOnlyEntrySource(await resolveClientSpecs(clients));
  const dir = join(context.workDir, `sdk-only-${index}`);
  const sourcefile = join(dir, "entry.ts");
  await mkdir(dirname(sourcefile), { recursive: true });
  await writeFile(sourcefile, source);
  const baselineBundle = await bundle({ contents: source, sourcefile: "sdk-only-entry.ts" }, join(dir, "index.mjs"), context.repoRoot);
  return { key: sdkSetKey(clients), clients, source, bundle: baselineBundle };
}

function breakdown(fn: FunctionBundle): Breakdown {
  const own = bytesByGroup(fn.bundle.metafile);
  const base = bytesByGroup(fn.baseline.bundle.metafile);
  const nonSdkInputs = [...own]
    .filter(([group]) => !base.has(group))
    .map(([group, bytes]) => ({ group, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  const sdkGrowth = [...base]
    .map(([group, bytes]) => ({ group, bytes: (own.get(group) ?? 0) - bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  const largest = sdkGrowth[0];
  return {
    extraBytes: fn.bundle.bytes - fn.baseline.bundle.bytes,
    nonSdkBytes: sum(nonSdkInputs.map((input) => input.bytes)),
    ownCodeBytes: sum([...bytesInOutput(fn.bundle.metafile)].filter(([input]) => packageOf(input) === undefined).map(([, bytes]) => bytes)),
    sdkGrowthBytes: sum(sdkGrowth.map((growth) => growth.bytes)),
    largestSdkGrowth: largest && largest.bytes > 0 ? largest : undefined,
    nonSdkInputs,
  };
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
