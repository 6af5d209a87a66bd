// Helpers of the gather / reduction / arg-min-max fixture groups: tensor specs of any dtype,
// random shapes with awkward sizes, and explicit samples for models with int32 / int64 inputs.
import type { TensorSpec } from "../model-builder.js";
import { type Rng, randomQuant } from "../random.js";
import type { TensorType } from "../../js/tflite/types.js";
import { SAMPLES } from "./case.js";

export type ValueType = "int8" | "uint8" | "float32" | "int32";

export const SIZES: readonly number[] = [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33];

export const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A shape of rank in [minRank, maxRank] with at most maxElements values. */
export function randomShape(rng: Rng, minRank: number, maxRank: number, maxElements: number): number[] {
  for (;;) {
    const shape = Array.from({ length: rng.int(minRank, maxRank) }, () => rng.pick(SIZES));
    if (product(shape) <= maxElements) return shape;
  }
}

/** An activation of the dtype; 8-bit ones get `q` or a random quantization. */
export function activation(rng: Rng, type: ValueType, shape: number[], name: string, q?: { scale: number; zeroPoint: number }): TensorSpec {
  if (type !== "int8" && type !== "uint8") return { name, type, shape };
  const { scale, zeroPoint } = q ?? randomQuant(rng, type);
  return { name, type, shape, scale, zeroPoint };
}

/** Random values of the dtype as bytes; [lo, hi] narrows integer ones (ties, valid indices). */
export function randomBytes(rng: Rng, type: TensorType, count: number, lo?: number, hi?: number): Uint8Array {
  switch (type) {
    case "int8": return new Uint8Array(rng.int8Array(count, lo ?? -128, hi ?? 127).buffer);
    case "uint8": return rng.uint8Array(count, lo ?? 0, hi ?? 255);
    case "int32": return new Uint8Array(rng.int32Array(count, lo ?? -1000, hi ?? 1000).buffer);
    case "int64": return new Uint8Array(BigInt64Array.from(rng.int32Array(count, lo ?? -1000, hi ?? 1000), BigInt).buffer);
    case "float32": {
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = lo === undefined || hi === undefined ? rng.float() * 8 - 4 : rng.int(lo, hi) / 2;
      return new Uint8Array(values.buffer);
    }
    default: throw new Error(`no random ${type} values`);
  }
}

/** SAMPLES samples, each made by `sample`. */
export function samples(sample: () => Uint8Array[]): Uint8Array[][] {
  return Array.from({ length: SAMPLES }, sample);
}

/** A constant int32 or int64 tensor. */
export function constantIndices(name: string, type: "int32" | "int64", shape: number[], values: ArrayLike<number>): TensorSpec {
  const data = type === "int32" ? Int32Array.from(values) : new Int32Array(BigInt64Array.from(Array.from(values), BigInt).buffer);
  return { name, type, shape, data };
}
