// The package's entries: the conditional exports point at files that exist (with types), the
// core has no Node built-ins, the workerd entry finds build/quantlite.wasm, and Model.load builds
// the class it is called on, with that class's default wasm Module (how the workerd entry works).
// The entries running in each runtime are `npm run test:runtimes`'s job (test/runtimes/).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model } from "../js/index.js";
import { decode, embeddedWasmBytes } from "../js/runtime/embedded-module.js";
import { readData } from "./data.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const TF1 = "models/mobilenet_v2_1.0_224_quant.tflite";

/** Every file path in an exports value (nested conditions included). */
function targets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(targets);
  return [];
}

test("every export target exists, and every entry has types", () => {
  for (const [subpath, value] of Object.entries(pkg.exports as Record<string, unknown>)) {
    for (const target of targets(value)) assert.ok(existsSync(join(ROOT, target)), `${subpath}: ${target} is missing`);
    if (subpath !== "./package.json") {
      const conditions = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
      assert.ok("types" in conditions, `${subpath} has no types`);
      for (const [name, nested] of Object.entries(conditions)) {
        if (typeof nested === "object") assert.ok(nested !== null && "types" in nested, `${subpath} condition ${name} has no types`);
      }
    }
  }
  const dot = pkg.exports["."];
  assert.equal(Object.keys(dot).slice(0, 2), ["workerd", "browser"], "workerd must come before browser (Wrangler sets both)");
});

test("typesVersions gives each subpath export its types (moduleResolution node10 reads no exports)", () => {
  const mapped = pkg.typesVersions["*"] as Record<string, string[]>;
  const subpaths = Object.keys(pkg.exports).filter((subpath) => subpath !== "." && subpath !== "./package.json");
  assert.equal(Object.keys(mapped).sort(), subpaths.map((subpath) => subpath.slice(2)).sort());
  for (const subpath of subpaths) assert.equal(mapped[subpath.slice(2)], [pkg.exports[subpath].types], subpath);
});

test("the package ships its LICENSE, and lists the modules with import-time side effects", () => {
  assert.ok((pkg.files as string[]).includes("LICENSE"));
  assert.match(readFileSync(join(ROOT, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
  // workerd.js hands its imported wasm Module to the image decoders; cli.js runs the command line.
  assert.equal(pkg.sideEffects, [pkg.exports["./workerd"].default, `./${pkg.bin.quantlite}`, "./dist/js/index.js", "./dist/js/ops/use-extra-ops.js", "./dist/js/preprocess/use-jpeg-js.js"]);
});

test("the package's #…-wasm-bytes imports: embedded base64 by default, none under workerd (a smaller Worker)", () => {
  const imports = Object.entries(pkg.imports as Record<string, { workerd: string; default: string }>);
  assert.equal(imports.map(([name]) => name).sort(), ["#relaxed-wasm-bytes", "#threads-wasm-bytes", "#wasm-bytes"]);
  for (const [name, { workerd, default: target }] of imports) {
    assert.match(readFileSync(join(ROOT, target), "utf8"), /export const WASM_BASE64 = "AGFzbQ/, `${name} default`);
    assert.match(readFileSync(join(ROOT, workerd), "utf8"), /export const WASM_BASE64 = null;/, `${name} under workerd`);
  }
});

test("the workerd entry imports build/quantlite.wasm, which the package ships", () => {
  const entry = join(ROOT, pkg.exports["."].workerd.default);
  const specifier = readFileSync(entry, "utf8").match(/import \w+ from "([^"]+\.wasm)"/)?.[1];
  assert.ok(specifier, "no .wasm import in the workerd entry");
  const wasm = resolve(dirname(entry), specifier!);
  assert.is(wasm, join(ROOT, "build", "quantlite.wasm"));
  assert.ok(existsSync(wasm));
  assert.ok((pkg.files as string[]).includes("build/quantlite.wasm"));
  assert.ok(WebAssembly.validate(readFileSync(wasm)));
});

test("the core entry (its modules and its bundle) and the browser bundle use no Node built-ins", () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)) {
      const specifier = match[1] ?? match[2];
      assert.not.ok(builtins.has(specifier) || specifier.startsWith("node:"), `${file} imports ${specifier}`);
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else if (specifier.startsWith("#")) visit(join(ROOT, pkg.imports[specifier].default));
      else {
        // A package, or a module inside one (jpeg-js/lib/decoder.js): the package must be a dependency.
        const name = specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
        assert.ok(name in pkg.dependencies, `${file} imports ${specifier}, not from a dependency`);
      }
    }
  };
  visit(join(ROOT, "dist/js/index.js"));
  assert.ok(seen.size > 10, `only ${seen.size} modules reached`);
  const modules = seen.size;
  visit(join(ROOT, pkg.exports["."].default));
  assert.ok(seen.size > modules + 1, "the default entry's bundle and its chunks were not reached");
  const bundle = readFileSync(join(ROOT, pkg.exports["."].browser.default), "utf8");
  assert.not.match(bundle, /\bfrom\s*"[^".][^"]*"|require\(|"node:/, "the browser bundle must be self-contained");
});

test("an uncaught error from the Node entry shows a readable source line, not a line of minified code", () => {
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", `import { Model } from ${JSON.stringify(join(ROOT, "dist/bundle/index.js"))}; await Model.load(new Uint8Array(64));`], { encoding: "utf8" });
  assert.is.not(result.status, 0);
  assert.match(result.stderr, /ModelError/);
  const longest = Math.max(...result.stderr.split("\n").map((line) => line.length));
  assert.ok(longest <= 300, `a ${longest}-character line in the trace`);
});

test("base64 decoding of the embedded wasm: native decoders and the atob loop give the same bytes", () => {
  const text = Buffer.from(embeddedWasmBytes()).toString("base64");
  const native = decode(text);
  const hidden = { fromBase64: Object.getOwnPropertyDescriptor(Uint8Array, "fromBase64"), Buffer: Object.getOwnPropertyDescriptor(globalThis, "Buffer") };
  try {
    delete (Uint8Array as { fromBase64?: unknown }).fromBase64;
    delete (globalThis as { Buffer?: unknown }).Buffer;
    assert.equal(decode(text), native);
  } finally {
    if (hidden.fromBase64) Object.defineProperty(Uint8Array, "fromBase64", hidden.fromBase64);
    if (hidden.Buffer) Object.defineProperty(globalThis, "Buffer", hidden.Buffer);
  }
  assert.ok(WebAssembly.validate(native));
});

test("Model.load builds the subclass it is called on, with the subclass's default module", async () => {
  const bytes = readData(TF1);
  if (!bytes) return;
  const compiled = await WebAssembly.compile(embeddedWasmBytes());
  let calls = 0;
  class PrecompiledModel extends Model {
    protected static override defaultWasmModule(): Promise<WebAssembly.Module> {
      calls++;
      return Promise.resolve(compiled);
    }
  }
  const model = await PrecompiledModel.load(bytes);
  assert.ok(model instanceof PrecompiledModel);
  assert.is(calls, 1);
  await PrecompiledModel.load(bytes, { wasmModule: compiled }); // an explicit module wins
  assert.is(calls, 1);
  // Called unbound, load still builds a Model.
  const { load } = Model;
  const plain = await load(bytes);
  assert.ok(plain instanceof Model);
  assert.not.ok(plain instanceof PrecompiledModel);
});

test.run();
