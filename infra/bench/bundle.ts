/**
 * Bundles an entry exactly as the CDK stack does, with the shared
 * esbuildOptions, so that the sizes and load times measured here are those of
 * what is deployed.
 */
import { build, type BuildOptions, type Metafile } from "esbuild";
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { esbuildOptions } from "../bundling";

export type BundleSource =
  /** A module of the repository, relative to the root. */
  | { entry: string }
  /** Generated source (an SDK-only or empty handler); imports resolve from the repository root. */
  | { contents: string; sourcefile: string };

export interface Bundle {
  /** The written bundle: what a child process imports to measure load time. */
  file: string;
  bytes: number;
  /** For information only: Lambda loads the unzipped file. */
  gzipBytes: number;
  metafile: Metafile;
}

export async function bundle(source: BundleSource, outfile: string, repoRoot: string): Promise<Bundle> {
  const options: BuildOptions = {
    ...esbuildOptions,
    // The shared options are declared `as const`; esbuild's type wants a mutable array.
    mainFields: [...esbuildOptions.mainFields],
    // Metafile paths then read relative to the root: "node_modules/valibot/...", "shared/...".
    absWorkingDir: repoRoot,
    outfile,
    metafile: true,
    write: true,
    logLevel: "warning",
    ...("entry" in source
      ? { entryPoints: [source.entry] }
      : { stdin: { contents: source.contents, sourcefile: source.sourcefile, resolveDir: repoRoot, loader: "ts" } }),
  };
  const result = await build(options);
  const code = await readFile(outfile);
  return { file: outfile, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength, metafile: result.metafile! };
}
