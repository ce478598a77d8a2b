import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { bundle } from "../../infra/bench/bundle";
import { parseBenchArgs } from "../../infra/bench/cli";
import { bytesByGroup, packageOf, sdkClientsIn } from "../../infra/bench/metafile";
import { selectSuites } from "../../infra/bench/registry";
import { resolveClientSpecs, sdkOnlyEntrySource, EMPTY_HANDLER_SOURCE } from "../../infra/bench/sdk-entry";
import { distribution, median, percentile } from "../../infra/bench/stats";
import { renderTable } from "../../infra/bench/table";
import { kb } from "../../infra/bench/units";

const REPO_ROOT = resolve(import.meta.dirname, "../..");

/** A metafile with just the fields the analysis reads. */
function metafile(inputs: Record<string, { bytes: number; imports?: Metafile["inputs"][string]["imports"] }>): Metafile {
  return {
    inputs: Object.fromEntries(Object.entries(inputs).map(([path, input]) => [path, { bytes: input.bytes, imports: input.imports ?? [] }])),
    outputs: {
      "out.mjs": {
        bytes: 0,
        imports: [],
        exports: [],
        inputs: Object.fromEntries(Object.entries(inputs).map(([path, input]) => [path, { bytesInOutput: input.bytes }])),
      },
    },
  };
}

describe("bench stats", () => {
  it("takes the median and nearest-rank p90", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([5], 90)).toBe(5);
    expect(distribution([10, 30, 20])).toEqual({ median: 20, p90: 30, min: 10, max: 30 });
    expect(() => median([])).toThrow();
  });
});

describe("bench metafile analysis", () => {
  it("names the package of an input, scoped or nested", () => {
    expect(packageOf("node_modules/valibot/dist/index.js")).toBe("valibot");
    expect(packageOf("node_modules/@aws-sdk/client-kms/dist-es/index.js")).toBe("@aws-sdk/client-kms");
    expect(packageOf("node_modules/a/node_modules/@smithy/core/x.js")).toBe("@smithy/core");
    expect(packageOf("shared/logger.ts")).toBeUndefined();
  });

  it("groups output bytes by package, and by file for own code", () => {
    const groups = bytesByGroup(
      metafile({
        "node_modules/valibot/a.js": { bytes: 10 },
        "node_modules/valibot/b.js": { bytes: 5 },
        "shared/logger.ts": { bytes: 3 },
        "node_modules/unused/index.js": { bytes: 0 },
      }),
    );
    expect(Object.fromEntries(groups)).toEqual({ valibot: 15, "shared/logger.ts": 3 });
  });

  it("finds SDK clients and tells a client reached only by import() from a static one", () => {
    const found = sdkClientsIn(
      metafile({
        "shared/data/client.ts": {
          bytes: 100,
          imports: [
            { path: "node_modules/@aws-sdk/client-dynamodb/dist-es/index.js", kind: "import-statement" },
            { path: "node_modules/@aws-sdk/lib-dynamodb/dist-es/index.js", kind: "import-statement" },
          ],
        },
        "shared/security/credentials-cipher.ts": {
          bytes: 100,
          imports: [{ path: "node_modules/@aws-sdk/client-kms/dist-es/index.js", kind: "dynamic-import" }],
        },
        "node_modules/@aws-sdk/client-dynamodb/dist-es/index.js": { bytes: 100 },
        "node_modules/@aws-sdk/lib-dynamodb/dist-es/index.js": {
          bytes: 100,
          imports: [{ path: "node_modules/@aws-sdk/client-dynamodb/dist-es/index.js", kind: "import-statement" }],
        },
        "node_modules/@aws-sdk/client-kms/dist-es/index.js": { bytes: 100 },
        "node_modules/@aws-sdk/nested-clients/dist-es/index.js": { bytes: 100 },
      }),
    );
    expect(found).toEqual([
      { pkg: "@aws-sdk/client-dynamodb", lazy: false },
      { pkg: "@aws-sdk/client-kms", lazy: true },
      { pkg: "@aws-sdk/lib-dynamodb", lazy: false },
    ]);
  });
});

describe("bench SDK-only entries", () => {
  it("is the empty handler when a function uses no SDK client", () => {
    expect(sdkOnlyEntrySource([])).toBe(EMPTY_HANDLER_SOURCE);
  });

  it("wraps one DynamoDBClient in the document client and keeps a lazy client lazy", () => {
    const source = sdkOnlyEntrySource([
      { pkg: "@aws-sdk/client-dynamodb", lazy: false, className: "DynamoDBClient" },
      { pkg: "@aws-sdk/client-kms", lazy: true, className: "KMSClient" },
      { pkg: "@aws-sdk/lib-dynamodb", lazy: false, className: "DynamoDBDocumentClient" },
    ]);
    expect(source.match(/new DynamoDBClient\(/g)).toHaveLength(1);
    expect(source).toContain("DynamoDBDocumentClient.from(new DynamoDBClient({}))");
    expect(source).toContain('import("@aws-sdk/client-kms")');
    expect(source).not.toMatch(/import \{[^}]*\} from "@aws-sdk\/client-kms"/);
    expect(source).toContain(EMPTY_HANDLER_SOURCE);
  });

  it("bundles to the same set of clients it was generated from", async () => {
    const uses = [
      { pkg: "@aws-sdk/client-dynamodb", lazy: false },
      { pkg: "@aws-sdk/client-kms", lazy: true },
      { pkg: "@aws-sdk/lib-dynamodb", lazy: false },
    ];
    const dir = await mkdtemp(join(tmpdir(), "bench-test-"));
    try {
      const source = sdkOnlyEntrySource(await resolveClientSpecs(uses));
      const result = await bundle({ contents: source, sourcefile: "entry.ts" }, join(dir, "index.mjs"), REPO_ROOT);
      expect(sdkClientsIn(result.metafile)).toEqual(uses);
      expect(result.gzipBytes).toBeLessThan(result.bytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("bench runner", () => {
  it("parses --suite (repeated or comma-separated) and --runs", () => {
    expect(parseBenchArgs([])).toMatchObject({ suites: [], runs: 15, keep: false });
    expect(parseBenchArgs(["--suite", "bundles,other", "--suite", "x", "--runs", "3"])).toMatchObject({ suites: ["bundles", "other", "x"], runs: 3 });
    expect(() => parseBenchArgs(["--runs", "0"])).toThrow(/positive integer/);
    expect(() => parseBenchArgs(["--nope"])).toThrow();
  });

  it("selects suites by name and rejects unknown ones", () => {
    expect(selectSuites([]).map((suite) => suite.name)).toContain("bundles");
    expect(selectSuites(["bundles"]).map((suite) => suite.name)).toEqual(["bundles"]);
    expect(() => selectSuites(["nope"])).toThrow(/Unknown suite nope; available: bundles/);
  });

  it("aligns table columns and colours only when asked", () => {
    const table = {
      title: "T",
      columns: [{ header: "Name" }, { header: "KB", align: "right" as const }, { header: "Target" }],
      rows: [
        ["a", "1.0", { text: "PASS", tone: "pass" as const }],
        ["longer", "10.5", { text: "FAIL", tone: "fail" as const }],
      ],
    };
    expect(renderTable(table, { color: false }).split("\n")).toEqual([
      "T",
      "Name      KB  Target",
      "------  ----  ------",
      "a        1.0  PASS",
      "longer  10.5  FAIL",
    ]);
    expect(renderTable(table, { color: true })).toContain("\u001b[1;31mFAIL");
    expect(kb(-20)).toBe("0.0");
  });
});
