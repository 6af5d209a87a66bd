// Shared by the fixture groups of the data-movement ops (transpose.ts, strided_slice.ts, …; not
// a group itself): one-operator models over data of any byte-moving dtype, with random inputs.
import { BUILTIN_OP_NAMES } from "../../js/tflite/builtin-ops.js";
import type { BuiltinOptions, TensorType } from "../../js/tflite/types.js";
import { type TensorSpec, singleOpModel } from "../model-builder.js";
import { type Rng, randomQuant } from "../random.js";
import { type FixtureCase, SAMPLES } from "./case.js";

export const DATA_TYPES = ["int8", "uint8", "float32", "int32"] as const;
export type DataType = TensorType;

/** A data tensor spec of the dtype (quantization `q` for int8/uint8, shared by input and output). */
export function data(type: DataType, shape: number[], q: { scale: number; zeroPoint: number } | null): TensorSpec {
  return q !== null && (type === "int8" || type === "uint8") ? { type, shape, scale: q.scale, zeroPoint: q.zeroPoint } : { type, shape };
}

export function quantFor(rng: Rng, type: DataType) {
  return type === "int8" || type === "uint8" ? randomQuant(rng, type) : null;
}

export const int32 = (values: number[]): TensorSpec => ({ type: "int32", shape: [values.length], data: Int32Array.from(values) });
export const int64 = (values: number[]): TensorSpec => ({ type: "int64", shape: [values.length], data: new Int32Array(new BigInt64Array(values.map(BigInt)).buffer) });

const BYTES: Record<string, number> = { int8: 1, uint8: 1, bool: 1, int16: 2, int32: 4, float32: 4, int64: 8 };

function randomBytes(rng: Rng, t: TensorSpec): Uint8Array {
  const count = t.shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(count * BYTES[t.type]);
  if (t.type === "float32") {
    const v = new Float32Array(out.buffer);
    for (let i = 0; i < count; i++) v[i] = rng.float() * 8 - 4;
  } else if (t.type === "int32") {
    const v = new Int32Array(out.buffer);
    for (let i = 0; i < count; i++) v[i] = rng.int(-100000, 100000);
  } else if (t.type === "bool") {
    for (let i = 0; i < count; i++) out[i] = rng.int(0, 1);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = rng.int(0, 255);
  }
  return out;
}

/** A case of one operator; its activation inputs get SAMPLES random samples. */
export function opCase(rng: Rng, name: string, op: string, inputs: TensorSpec[], outputs: TensorSpec[], options: BuiltinOptions | null): FixtureCase {
  const builtinCode = BUILTIN_OP_NAMES.indexOf(op);
  if (builtinCode < 0) throw new Error(`unknown op ${op}`);
  const model = singleOpModel({ builtinCode, inputs, outputs, options });
  const activations = inputs.filter((t) => t.data === undefined);
  return { name, model, inputs: Array.from({ length: SAMPLES }, () => activations.map((t) => randomBytes(rng, t))) };
}

/** A random shape of `rank` dimensions, each in [lo, hi]. */
export function randomShape(rng: Rng, rank: number, lo = 1, hi = 5): number[] {
  return Array.from({ length: rank }, () => rng.int(lo, hi));
}
