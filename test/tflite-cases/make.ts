// Writes the fixture models and inputs of the given groups (test/tflite-cases/<group>.ts, each
// exporting `make: CaseMaker`) into test/fixtures/tflite/<group>/, replacing what was there:
//   npx tsc -p tsconfig.json && node dist/test/tflite-cases/make.js mean fully_connected
//   python3 scripts/tflite-reference.py test/fixtures/tflite/mean test/fixtures/tflite/fully_connected
// The second command (TensorFlow needed) writes each NAME.ref.bin; commit all three files.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readModel } from "../../js/tflite/read.js";
import type { TensorType } from "../../js/tflite/types.js";
import { Rng } from "../random.js";
import { type CaseMaker, type FixtureCase, SAMPLES } from "./case.js";

const FIXTURE_DIR = "test/fixtures/tflite";

const ELEMENT_BYTES: Partial<Record<TensorType, number>> = { int8: 1, uint8: 1, bool: 1, int16: 2, int32: 4, float32: 4, int64: 8 };

/** A seed from a name (FNV-1a). */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function randomInput(rng: Rng, type: TensorType, count: number, what: string): Uint8Array {
  const bytes = ELEMENT_BYTES[type];
  if (bytes === undefined || type === "int32" || type === "int64") throw new Error(`${what}: give the inputs of a ${type} tensor`);
  const out = new Uint8Array(count * bytes);
  if (type === "float32") {
    const values = new Float32Array(out.buffer);
    for (let i = 0; i < count; i++) values[i] = rng.float() * 8 - 4;
  } else if (type === "int16") {
    const values = new Int16Array(out.buffer);
    for (let i = 0; i < count; i++) values[i] = rng.int(-32768, 32767);
  } else if (type === "bool") {
    for (let i = 0; i < count; i++) out[i] = rng.int(0, 1);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = rng.int(0, 255);
  }
  return out;
}

/** The bytes of NAME.inputs.bin: the case's inputs, or random ones. */
function inputsFile(c: FixtureCase, rng: Rng): Uint8Array {
  const model = readModel(c.model);
  const graph = model.subgraphs[0];
  const samples = c.inputs ?? Array.from({ length: SAMPLES }, () => graph.inputs.map((t) => {
    const tensor = graph.tensors[t];
    return randomInput(rng, tensor.type, tensor.shape.reduce((a, b) => a * b, 1), `${c.name} input "${tensor.name}"`);
  }));
  const parts = samples.flat();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

async function writeGroup(group: string): Promise<void> {
  const { make } = (await import(`./${group}.js`)) as { make: CaseMaker };
  const rng = new Rng(seedOf(group));
  const cases = make(rng);
  const dir = join(FIXTURE_DIR, group);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const names = new Set<string>();
  for (const c of cases) {
    if (!/^[A-Za-z0-9_-]+$/.test(c.name) || names.has(c.name)) throw new Error(`${group}: bad or repeated case name "${c.name}"`);
    names.add(c.name);
    writeFileSync(join(dir, `${c.name}.tflite`), c.model);
    writeFileSync(join(dir, `${c.name}.inputs.bin`), inputsFile(c, rng));
  }
  console.log(`${dir}: ${cases.length} cases`);
}

const groups = process.argv.slice(2);
if (groups.length === 0) {
  console.error("usage: node dist/test/tflite-cases/make.js GROUP... (test/tflite-cases/GROUP.ts)");
  process.exitCode = 2;
}
for (const group of groups) await writeGroup(group);
