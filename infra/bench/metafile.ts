/**
 * Reads an esbuild metafile: which inputs made it into the output and how many
 * bytes each contributes, grouped by npm package (or by file for the
 * repository's own code), and which AWS SDK clients the bundle contains.
 */
import type { Metafile } from "esbuild";

/** The package an input belongs to, e.g. "@aws-sdk/client-dynamodb" or "valibot"; undefined for the repository's own files. */
export function packageOf(inputPath: string): string | undefined {
  const marker = "node_modules/";
  const at = inputPath.lastIndexOf(marker);
  if (at < 0) return undefined;
  const parts = inputPath.slice(at + marker.length).split("/");
  const [first, second] = parts;
  if (!first) return undefined;
  return first.startsWith("@") && second ? `${first}/${second}` : first;
}

/** A package name, or the file path for the repository's own code. */
export const groupOf = (inputPath: string): string => packageOf(inputPath) ?? inputPath;

/** Bytes each input contributes to the output (after minification and tree shaking); inputs shaken out entirely are omitted. */
export function bytesInOutput(metafile: Metafile): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) bytes.set(input, (bytes.get(input) ?? 0) + bytesInOutput);
    }
  }
  return bytes;
}

/** Output bytes per package (or per repository file). */
export function bytesByGroup(metafile: Metafile): Map<string, number> {
  const groups = new Map<string, number>();
  for (const [input, bytes] of bytesInOutput(metafile)) {
    const group = groupOf(input);
    groups.set(group, (groups.get(group) ?? 0) + bytes);
  }
  return groups;
}

/** An AWS SDK client package found in a bundle. */
export interface SdkClientUse {
  /** "@aws-sdk/client-<service>" or "@aws-sdk/lib-dynamodb". */
  pkg: string;
  /**
   * True when the package is reached only through dynamic import(). Without
   * code splitting esbuild still inlines it, but its module body runs on first
   * use rather than at load, so the SDK-only baseline must import it the same way.
   * (A dynamic import of a package also keeps all of its exports, every command
   * included, which static named imports would let tree shaking drop.)
   */
  lazy: boolean;
}

const SDK_CLIENT_PACKAGE = /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)$/;

export const isSdkClientPackage = (pkg: string): boolean => SDK_CLIENT_PACKAGE.test(pkg);

/** The SDK client packages that contribute bytes to the output, sorted by name. */
export function sdkClientsIn(metafile: Metafile): SdkClientUse[] {
  const present = new Set<string>();
  for (const input of bytesInOutput(metafile).keys()) {
    const pkg = packageOf(input);
    if (pkg && isSdkClientPackage(pkg)) present.add(pkg);
  }
  // Every edge that enters the package from outside it; the package is lazy if all of them are dynamic imports.
  const entryKinds = new Map<string, Set<string>>();
  for (const [from, input] of Object.entries(metafile.inputs)) {
    for (const edge of input.imports) {
      if (edge.external) continue;
      const target = packageOf(edge.path);
      if (!target || !present.has(target) || packageOf(from) === target) continue;
      const kinds = entryKinds.get(target) ?? new Set<string>();
      kinds.add(edge.kind);
      entryKinds.set(target, kinds);
    }
  }
  return [...present].sort().map((pkg) => {
    const kinds = entryKinds.get(pkg);
    return { pkg, lazy: kinds !== undefined && [...kinds].every((kind) => kind === "dynamic-import") };
  });
}
