// Shared generator of the binary elementwise groups (add, mul, sub, div, …): one-operator models
// over random broadcasting shapes (ranks 1–4, some 5), random per-tensor quantization with output
// scales that keep results mostly in range, each fused activation where the op has one, a
// constant second input in some cases, and int32 inputs given explicitly.
import { BUILTIN_OP_NAMES } from "../../js/tflite/builtin-ops.js";
import type { BuiltinOptions, FusedActivation, TensorType } from "../../js/tflite/types.js";
import { type TensorSpec, singleOpModel } from "../model-builder.js";
import { type Rng, randomZeroPoint } from "../random.js";
import { type FixtureCase, SAMPLES } from "./case.js";

export type BinaryType = "int8" | "uint8" | "float32" | "int32";

export interface BinarySpec {
  /** TFLite builtin operator name. */
  op: string;
  /** The options table, given the fused activation (null: the op has none). */
  options: ((activation: FusedActivation) => BuiltinOptions) | null;
  /** Whether the op has a fused activation (each is tried). */
  fusedActivation?: boolean;
  /** The operator version of int8 models (default 2; the others 1). */
  int8Version?: number;
  /** Cases per dtype. */
  counts: Partial<Record<BinaryType, number>>;
  /** Output scale from the input scales (8-bit), times a random factor in [lo, hi]. */
  outputScale?: (s1: number, s2: number) => number;
  outputFactor?: [number, number];
  /** int32 values of input 1 and input 2 (default: [-1000, 1000] both); nonzero divisors with `nonzero`. */
  int32Range?: [number, number];
  nonzero?: boolean;
  /** PRELU: input 2 (alpha) never bigger than input 1 and the output is input 1's shape. */
  secondNotLarger?: boolean;
  /** The 8-bit output shares input 1's quantization (MAXIMUM / MINIMUM). */
  sameQuantization?: boolean;
  maxRank?: number;
}

const SIZES = [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33];
const ACTIVATIONS: FusedActivation[] = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"];

function elementBytes(type: BinaryType): number {
  return type === "float32" || type === "int32" ? 4 : 1;
}

/** Two input shapes that broadcast, the output's at most `maxElements` elements. */
function randomShapes(rng: Rng, rank: number, maxElements: number, secondNotLarger: boolean): [number[], number[]] {
  for (;;) {
    const out = Array.from({ length: rank }, () => rng.pick(SIZES));
    if (out.reduce((n, d) => n * d, 1) > maxElements) continue;
    const pattern = rng.int(0, 4);
    let a = [...out];
    let b = [...out];
    if (pattern === 1) b = [out[rank - 1]];                          // per-channel
    else if (pattern === 2) b = rng.bool(0.5) ? [1] : [];             // scalar
    else if (pattern >= 3) {                                          // general broadcasting
      a = out.map((d) => (rng.bool(0.3) ? 1 : d));
      b = out.map((d, i) => (a[i] === 1 || rng.bool(0.4) ? d : 1));
      if (rng.bool(0.3)) b = b.slice(rng.int(1, rank));
    }
    if (secondNotLarger) { a = [...out]; }
    else if (rng.bool(0.3)) [a, b] = [b, a];
    return [a, b];
  }
}

function broadcast(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[i - rank + a.length] ?? 1;
    const db = b[i - rank + b.length] ?? 1;
    return da === 1 ? db : da;
  });
}

function count(shape: number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function int32Values(rng: Rng, n: number, [lo, hi]: [number, number], nonzero: boolean): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let v = rng.int(lo, hi);
    if (nonzero && v === 0) v = rng.bool(0.5) ? 1 : -1;
    out[i] = v;
  }
  return out;
}

/** Random values of the type; 8-bit divisors (`nonzero`) avoid 0 (TFLite checks the raw bytes) and the zero point `zeroPoint`. */
function randomValues(rng: Rng, type: BinaryType, n: number, spec: BinarySpec, second: boolean, zeroPoint = 0): Int8Array | Uint8Array | Float32Array | Int32Array {
  if ((type === "int8" || type === "uint8") && second && spec.nonzero) {
    const out = type === "int8" ? rng.int8Array(n) : rng.uint8Array(n);
    for (let i = 0; i < n; i++) while (out[i] === zeroPoint || out[i] === 0) out[i] = rng.int(type === "int8" ? -128 : 0, type === "int8" ? 127 : 255);
    return out;
  }
  if (type === "int32") return int32Values(rng, n, spec.int32Range ?? [-1000, 1000], second && (spec.nonzero ?? false));
  if (type === "float32") {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = rng.float() * 8 - 4;
    return out;
  }
  return type === "int8" ? rng.int8Array(n) : rng.uint8Array(n);
}

function bytes(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

export function binaryCases(rng: Rng, spec: BinarySpec): FixtureCase[] {
  const cases: FixtureCase[] = [];
  const builtinCode = BUILTIN_OP_NAMES.indexOf(spec.op);
  if (builtinCode < 0) throw new Error(`unknown op ${spec.op}`);
  for (const [type, n] of Object.entries(spec.counts) as [BinaryType, number][]) {
    for (let i = 0; i < n; i++) {
      const rank = i === n - 1 && (spec.maxRank ?? 5) >= 5 ? 5 : rng.int(1, Math.min(spec.maxRank ?? 4, 4));
      const maxElements = elementBytes(type) === 4 ? 160 : 600;
      const [shapeA, shapeB] = randomShapes(rng, rank, maxElements, spec.secondNotLarger ?? false);
      const shapeY = broadcast(shapeA, shapeB);
      const activation = spec.fusedActivation && i % 3 !== 0 ? ACTIVATIONS[i % 4] : "NONE";
      const constantB = i % 4 === 1;
      const quantized = type === "int8" || type === "uint8";
      const tensor = (shape: number[], name: string, scale: number, zeroPoint: number): TensorSpec =>
        quantized ? { name, type: type as TensorType, shape, scale, zeroPoint } : { name, type: type as TensorType, shape };
      const s1 = Math.fround(rng.logUniform(1e-3, 1));
      const s2 = Math.fround(rng.logUniform(1e-3, 1));
      const [lo, hi] = spec.outputFactor ?? [0.5, 4];
      const q1 = randomZeroPoint(rng, type as "int8"), q2 = randomZeroPoint(rng, type as "int8");
      const sy = spec.sameQuantization ? s1 : Math.fround((spec.outputScale ?? ((a, b) => Math.max(a, b)))(s1, s2) * rng.logUniform(lo, hi));
      const qy = spec.sameQuantization ? q1 : randomZeroPoint(rng, type as "int8");
      const b: TensorSpec = { ...tensor(shapeB, constantB ? "b_const" : "b", s2, q2) };
      if (constantB) b.data = randomValues(rng, type, count(shapeB), spec, true, q2);
      const model = singleOpModel({
        builtinCode,
        inputs: [tensor(shapeA, "a", s1, q1), b],
        outputs: [tensor(shapeY, "output", sy, qy)],
        options: spec.options === null ? null : spec.options(activation),
        version: type === "int8" ? spec.int8Version ?? 2 : 1,
      });
      const inputs = type === "int32" || (quantized && spec.nonzero)
        ? Array.from({ length: SAMPLES }, () => [
          bytes(randomValues(rng, type, count(shapeA), spec, false)),
          ...(constantB ? [] : [bytes(randomValues(rng, type, count(shapeB), spec, true, q2))]),
        ])
        : undefined;
      const name = `${type}_${i}_${shapeA.join("x") || "s"}_${shapeB.join("x") || "s"}${activation === "NONE" ? "" : `_${activation.toLowerCase()}`}${constantB ? "_const" : ""}`;
      cases.push({ name, model, inputs });
    }
  }
  return cases;
}
