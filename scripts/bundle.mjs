// Build step: the JavaScript entries bundled with their dependencies (flatbuffers and the
// CommonJS jpeg-js decoder and pako inflate modules, which quantlite imports alone), minified,
// so that importing quantlite reads a few files instead of ≈60 modules (Node 20: ≈15 ms instead
// of ≈50 ms, most of a cold start's import).
// - dist/browser/quantlite.js: dist/js/index.js in one ES module with the wasm builds embedded,
//   so a page can `import { Model, classify } from ".../quantlite.js"` with no bundler and no
//   import map: `quantlite/browser`. (Bundlers take the `browser` condition instead, dist/js/browser.js,
//   which fetches quantlite.wasm as a separate asset.) Built for the neutral platform, so that the
//   package's "#…-wasm-bytes" imports resolve to the embedded bytes, not to the `browser` condition's none.
// - dist/bundle/: dist/js/index.js and dist/js/node.js for Node, Deno and Bun (the package's
//   default `quantlite` and `quantlite/node`), sharing one chunk so that both see the same
//   classes; the relaxed-SIMD and threads wasm builds stay in chunks of their own, imported only
//   when a model needs them.
import { build } from "esbuild";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";

const common = {
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  keepNames: true, // error.name comes from the class name (QuantliteError sets it from new.target)
  legalComments: "eof",
  logLevel: "warning",
};

const browser = "dist/browser/quantlite.js";
await build({ ...common, entryPoints: ["dist/js/index.js"], outfile: browser, platform: "neutral", mainFields: ["browser", "module", "main"] });
mkdirSync("dist/browser", { recursive: true });
writeFileSync("dist/browser/quantlite.d.ts", `export * from "../js/index.js";\n`);
console.log(`bundled ${browser}: ${statSync(browser).size} bytes`);

rmSync("dist/bundle", { recursive: true, force: true }); // chunk names change with their contents
await build({
  ...common,
  entryPoints: { index: "dist/js/index.js", node: "dist/js/node.js" },
  outdir: "dist/bundle",
  splitting: true,
  chunkNames: "chunk-[hash]",
  platform: "node",
  // Not minified: an uncaught error prints its source line, which minified would be kilobytes long.
  minify: false,
});
for (const file of readdirSync("dist/bundle")) console.log(`bundled dist/bundle/${file}: ${statSync(`dist/bundle/${file}`).size} bytes`);
