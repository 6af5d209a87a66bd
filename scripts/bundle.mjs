// Build step: the JavaScript entries bundled with their dependencies (flatbuffers and the
// CommonJS jpeg-js and pako's inflate), minified, so that importing quantlite reads a few files
// instead of ≈60 modules (Node 20: ≈15 ms instead of ≈50 ms, most of a cold start's import).
// - dist/browser/quantlite.js: dist/js/index.js in one ES module, so a page can
//   `import { Model, classify } from ".../quantlite.js"` with no bundler and no import map. It is
//   the package's `browser` condition and `quantlite/browser`.
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
  // quantlite only inflates (PNG): pako's inflate module alone, and jpeg-js's decoder alone
  // (js/preprocess/jpeg-js.ts), make the bundle 33 KB smaller and importing it 12.9 → 10.8 ms (Node 20).
  alias: { pako: "pako/lib/inflate.js" },
};

const browser = "dist/browser/quantlite.js";
await build({ ...common, entryPoints: ["dist/js/index.js"], outfile: browser, platform: "browser" });
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
});
for (const file of readdirSync("dist/bundle")) console.log(`bundled dist/bundle/${file}: ${statSync(`dist/bundle/${file}`).size} bytes`);
