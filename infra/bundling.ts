/**
 * How every function is bundled: one set of esbuild options, used by the CDK
 * construct (NodejsFunction) and by the benchmark, so that what is measured is
 * what is deployed.
 */
export const NODE_TARGET = "node24";

export const esbuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: NODE_TARGET,
  minify: true,
  treeShaking: true,
  sourcemap: false,
  mainFields: ["module", "main"],
  // Some CommonJS dependencies call require(); give ESM bundles one.
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
  legalComments: "none",
} as const;
