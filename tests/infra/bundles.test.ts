/** Every function of the wiring bundles with the options the stack deploys with (infra/bundling.ts). */
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { esbuildOptions } from "../../infra/bundling";
import { functions } from "../../infra/wiring";
import { REPO_ROOT } from "../../infra/local/invoke";

describe("function bundles", () => {
  it("builds every entry of the wiring into one minified ESM file that exports handler", async () => {
    const results = await Promise.all(
      functions.map(async (fn) => {
        const out = await build({
          ...esbuildOptions,
          mainFields: [...esbuildOptions.mainFields],
          absWorkingDir: REPO_ROOT,
          entryPoints: [fn.entry],
          write: false,
          metafile: true,
          logLevel: "silent",
        });
        const output = Object.values(out.metafile.outputs)[0]!;
        return { name: fn.name, files: out.outputFiles.length, exports: output.exports, bytes: output.bytes };
      }),
    );
    for (const result of results) {
      expect(result.files, result.name).toBe(1);
      expect(result.exports, result.name).toContain("handler");
      expect(result.bytes, result.name).toBeGreaterThan(0);
    }
  }, 120_000);
});
