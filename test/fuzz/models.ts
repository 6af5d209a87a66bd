// Model fuzzing: a mutated model must either load and run — outputs of the declared lengths,
// finite, from random inputs, within maxMemoryBytes — or be refused with a ModelError. Any other
// exception (TypeError, RangeError, a wasm RuntimeError trap, even InputError: the inputs given
// are right) is a failure, and so is a case slower than CASE_TIME_LIMIT_MS (outcome.ts).
// Most cases mutate small generated chain models (chains.ts). A few mutate the real models of
// shared/models, mostly in ways that fail fast (truncation, header, flatbuffer structure): one
// that still loads costs about 100 ms to prepare and run.
import { Model, ModelError, type TensorData, type TensorInfo } from "../../js/index.js";
import { readModel } from "../../js/tflite/read.js";
import type { ModelDef } from "../../js/tflite/types.js";
import { writeModel } from "../../js/tflite/write.js";
import { readData } from "../data.js";
import type { Rng } from "../random.js";
import { randomChain } from "./chains.js";
import { type FlatbufferSites, flatbufferSites } from "./flatbuffer-sites.js";
import { BYTE_MUTATIONS, DEF_MUTATIONS } from "./model-mutations.js";
import { type Outcome, errorDetail, errorLabel, failure } from "./outcome.js";

export const REAL_MODELS = [
  "mobilenet_v2_1.0_224_quant.tflite",
  "tf2_mobilenet_v2_1.0_224_ptq.tflite",
  "mobilenet_v2_1.0_224_inat_bird_quant.tflite",
];

/** maxMemoryBytes for every fuzzed model: 7× what the real models need. */
export const FUZZ_MAX_MEMORY = 64 * 2 ** 20;

export interface ModelCase {
  /** Mutation class first, then the base model and what changed. */
  name: string;
  bytes: Uint8Array;
  /** Unmutated: anything but "ok" is a failure. */
  mustLoad: boolean;
}

/** Share of the cases that mutate a real model, when they are present. */
const REAL_SHARE = 0.04;
/** Byte mutations of real models, weighted toward those that fail before any preparation. */
const REAL_BYTE_WEIGHTS: Record<string, number> = {
  truncate: 40, header: 10, vtable: 14, offset: 14, table: 8, vectorLength: 8, fields: 3, flip: 1,
};
/** Share of real-model cases that mutate the decoded model (they mostly load, then fail in prepare). */
const REAL_DEF_SHARE = 0.02;

class RealModel {
  private decoded?: ModelDef;
  private structure?: FlatbufferSites;

  constructor(readonly name: string, readonly bytes: Uint8Array) {}

  /** A copy of the decoded model to mutate; buffer contents are shared (mutations replace them). */
  def(): ModelDef {
    this.decoded ??= readModel(this.bytes);
    const copy: ModelDef = structuredClone({ ...this.decoded, buffers: [] });
    return { ...copy, buffers: [...this.decoded.buffers] };
  }

  sites(): FlatbufferSites {
    return (this.structure ??= flatbufferSites(this.bytes));
  }
}

function weightedPick(rng: Rng, weights: Record<string, number>): string {
  const entries = Object.entries(weights);
  let r = rng.float() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [name, w] of entries) if ((r -= w) < 0) return name;
  return entries[entries.length - 1][0];
}

/** 1 to 3 def mutations; the class is the mutation's name, or "def:stacked". */
function mutateDef(def: ModelDef, rng: Rng): string {
  const count = rng.bool(0.7) ? 1 : rng.int(2, 3);
  const done: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(Object.keys(DEF_MUTATIONS));
    done.push(`${kind}(${DEF_MUTATIONS[kind](def, rng)})`);
  }
  return `${count === 1 ? `def:${done[0].slice(0, done[0].indexOf("("))}` : "def:stacked"} ${done.join(" ")}`;
}

export class ModelCorpus {
  private readonly real: RealModel[];

  constructor() {
    this.real = REAL_MODELS.flatMap((name) => {
      const bytes = readData(`models/${name}`);
      return bytes === null ? [] : [new RealModel(name, bytes)];
    });
  }

  makeCase(rng: Rng): ModelCase {
    if (this.real.length > 0 && rng.bool(REAL_SHARE)) return this.realCase(rng);
    const chain = randomChain(rng);
    const r = rng.float();
    if (r < 0.08) return { name: `none ${chain.name}`, bytes: writeModel(chain.def), mustLoad: true };
    if (r < 0.7) {
      const what = mutateDef(chain.def, rng);
      return { name: `${what} on ${chain.name}`, bytes: writeModel(chain.def), mustLoad: false };
    }
    const bytes = writeModel(chain.def);
    let sites: FlatbufferSites | undefined;
    const kind = rng.pick(Object.keys(BYTE_MUTATIONS));
    const [mutated, what] = BYTE_MUTATIONS[kind](bytes, () => (sites ??= flatbufferSites(bytes)), rng);
    return { name: `bytes:${kind} ${what} on ${chain.name}`, bytes: mutated, mustLoad: false };
  }

  private realCase(rng: Rng): ModelCase {
    const model = rng.pick(this.real);
    if (rng.bool(REAL_DEF_SHARE)) {
      const def = model.def();
      const what = mutateDef(def, rng);
      return { name: `real-${what} on ${model.name}`, bytes: writeModel(def), mustLoad: false };
    }
    const kind = weightedPick(rng, REAL_BYTE_WEIGHTS);
    const [mutated, what] = BYTE_MUTATIONS[kind](model.bytes, () => model.sites(), rng);
    return { name: `real-bytes:${kind} ${what} on ${model.name}`, bytes: mutated, mustLoad: false };
  }
}

const ARRAY_TYPES = { uint8: Uint8Array, int8: Int8Array, int32: Int32Array, float32: Float32Array } as const;

/** Random values for an input tensor; past 4096 values the start repeats (cheap for big inputs). */
export function randomInput(rng: Rng, t: TensorInfo): TensorData {
  const count = t.shape.reduce((a, b) => a * b, 1);
  const data = new ARRAY_TYPES[t.dtype as keyof typeof ARRAY_TYPES](count);
  const head = Math.min(count, 4096);
  for (let i = 0; i < head; i++) data[i] = t.dtype === "float32" ? 4 * rng.normal() : rng.int(0, 255);
  for (let filled = head; filled < count; filled *= 2) data.copyWithin(filled, 0, Math.min(filled, count - filled));
  return data;
}

/** What is wrong with a run's outputs, or null. */
function outputProblem(model: Model, outputs: TensorData[]): string | null {
  if (outputs.length !== model.outputs.length) return `${outputs.length} outputs for ${model.outputs.length} declared`;
  for (const [k, t] of model.outputs.entries()) {
    const out = outputs[k];
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (!(out instanceof ARRAY_TYPES[t.dtype as keyof typeof ARRAY_TYPES])) return `output ${k} is a ${out.constructor.name} for ${t.dtype}`;
    if (out.length !== count) return `output ${k} has ${out.length} values for shape [${t.shape}]`;
    if (out instanceof Float32Array && !out.every(Number.isFinite)) return `output ${k} has values that are not finite`;
  }
  return null;
}

/** The first value where two runs' outputs differ, or null. */
function firstDifference(a: TensorData[], b: TensorData[]): string | null {
  for (const [k, out] of a.entries()) {
    const i = Array.from<number | bigint>(out).findIndex((v, j) => !Object.is(v, b[k][j]));
    if (i >= 0) return `output ${k}[${i}]: ${out[i]} vs ${b[k][i]}`;
  }
  return null;
}

/**
 * Models using at most this much memory are also checked for agreement: run on other inputs
 * and then on the first again (no state may carry over between runs), and with the scalar
 * kernels (which the v128 ones must match exactly; a kernel reading outside its tensors
 * would show up here).
 */
const CROSS_CHECK_BYTES = 4 * 2 ** 20;

async function crossCheck(model: Model, bytes: Uint8Array, inputs: TensorData[], outputs: TensorData[], rng: Rng): Promise<Outcome | null> {
  model.runAll(model.inputs.map((t) => randomInput(rng, t)));
  const again = firstDifference(outputs, model.runAll(inputs));
  if (again !== null) return failure("a second run on the same input differs", again);
  const scalar = await Model.load(bytes, { maxMemoryBytes: FUZZ_MAX_MEMORY, kernels: "scalar" });
  try {
    const difference = firstDifference(outputs, scalar.runAll(inputs));
    return difference === null ? null : failure("v128 and scalar kernels differ", difference);
  } finally {
    scalar.dispose();
  }
}

/** Loads and runs one model; the outcome (without the time check, which the caller applies). */
export async function runModel(bytes: Uint8Array, rng: Rng): Promise<Outcome> {
  let model: Model;
  try {
    model = await Model.load(bytes, { maxMemoryBytes: FUZZ_MAX_MEMORY });
  } catch (error) {
    return error instanceof ModelError ? { verdict: "rejected", label: errorLabel(error) } : failure(errorLabel(error), errorDetail(error));
  }
  try {
    if (model.memoryBytes > FUZZ_MAX_MEMORY) return failure("memory over maxMemoryBytes", `${model.memoryBytes} bytes`);
    const inputs = model.inputs.map((t) => randomInput(rng, t));
    const outputs = model.runAll(inputs);
    const problem = outputProblem(model, outputs);
    if (problem !== null) return failure("bad output", problem);
    const disagreement = model.memoryBytes <= CROSS_CHECK_BYTES ? await crossCheck(model, bytes, inputs, outputs, rng) : null;
    return disagreement ?? { verdict: "ok", label: "ok" };
  } catch (error) {
    return failure(`run: ${errorLabel(error)}`, errorDetail(error));
  } finally {
    model.dispose();
  }
}

export async function runModelCase(c: ModelCase, rng: Rng): Promise<Outcome> {
  const outcome = await runModel(c.bytes, rng);
  if (c.mustLoad && outcome.verdict !== "ok") return failure(`unmutated model: ${outcome.label}`, outcome.detail ?? outcome.label);
  return outcome;
}
