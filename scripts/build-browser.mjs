// Build step: dist/browser/quantlite.js, the default entry (dist/js/index.js) with its
// dependencies (flatbuffers and the CommonJS jpeg-js, upng-js and pako) in one ES module, so a
// page can `import { Model, classify } from ".../quantlite.js"` with no bundler and no import
// map. It is the package's `browser` condition and `quantlite/browser`.
import { build } from "esbuild";
import { mkdirSync, statSync, writeFileSync } from "node:fs";

const out = "dist/browser/quantlite.js";
await build({
  entryPoints: ["dist/js/index.js"],
  outfile: out,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  keepNames: true, // error.name comes from the class name (QuantliteError sets it from new.target)
  legalComments: "eof",
  logLevel: "warning",
});
mkdirSync("dist/browser", { recursive: true });
writeFileSync("dist/browser/quantlite.d.ts", `export * from "../js/index.js";\n`);
console.log(`bundled ${out}: ${statSync(out).size} bytes`);
