// What a browser app pays in JavaScript for quantlite: an app importing only Model and classify,
// bundled by esbuild for the browser through the package's `browser` condition (as a user's
// bundler resolves `import … from "quantlite"`), must stay within 60 KB gzipped, counting the entry
// chunk and every chunk it imports statically (code behind a dynamic import, e.g. the threads
// runtime, loads only when used). The wasm is a separate asset the app fetches, not JavaScript.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { test } from "uvu";
import * as assert from "uvu/assert";

const LIMIT_BYTES = 60 * 1024;

test("a browser app importing Model and classify ships ≤ 60 KB of gzipped JavaScript, without quantize or eval", async () => {
  const dir = mkdtempSync(join(tmpdir(), "quantlite-app-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(resolve("."), join(dir, "node_modules", "quantlite"), "dir");
    writeFileSync(join(dir, "app.js"), [
      `import { Model, classify } from "quantlite";`,
      `const model = await Model.load(new Uint8Array(await (await fetch("model.tflite")).arrayBuffer()));`,
      `document.body.textContent = JSON.stringify(classify(model, new Uint8Array(await (await fetch("photo.jpg")).arrayBuffer())));`,
    ].join("\n"));
    const result = await build({
      absWorkingDir: dir, entryPoints: ["app.js"], bundle: true, splitting: true, format: "esm", platform: "browser",
      minify: true, outdir: "out", write: false, metafile: true, logLevel: "silent",
    });
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((name) => outputs[name].entryPoint === "app.js")!;
    const loaded = new Set<string>();
    const visit = (name: string) => {
      if (loaded.has(name)) return;
      loaded.add(name);
      for (const imported of outputs[name].imports) if (imported.kind === "import-statement") visit(imported.path);
    };
    visit(entry);
    const files = new Map(result.outputFiles.map((f) => [join("out", f.path.slice(f.path.lastIndexOf("/out/") + 5)), f.contents]));
    let gzipped = 0;
    for (const name of loaded) gzipped += gzipSync(files.get(name)!, { level: 9 }).length;
    const sources = [...loaded].flatMap((name) => Object.keys(outputs[name].inputs));
    console.log(`  browser app (Model + classify): ${(gzipped / 1024).toFixed(1)} KB gzipped in ${loaded.size} chunk(s), ${sources.length} modules`);
    for (const unwanted of ["quantize/", "eval/", "generated/wasm-bytes", "generated/relaxed-wasm-bytes", "commands/"]) {
      assert.not.ok(sources.some((s) => s.includes(`dist/js/${unwanted}`) || s.includes(unwanted)), `the app pulls in ${unwanted}`);
    }
    assert.ok(gzipped <= LIMIT_BYTES, `${gzipped} bytes gzipped > ${LIMIT_BYTES}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
