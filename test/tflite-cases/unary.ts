// Shared by the fixture groups of the one-input activations (logistic.ts, tanh.ts, relu.ts, …):
// a one-operator model and random shapes of ranks 1 to 4 with awkward sizes.
import { BUILTIN_OP_NAMES } from "../../js/tflite/builtin-ops.js";
import { singleOpModel, type Q, type TensorSpec } from "../model-builder.js";
import { type QuantDtype, type Rng, randomQuant } from "../random.js";
import { type FixtureCase, SAMPLES } from "./case.js";
import type { BuiltinOptions, TensorType } from "../../js/tflite/types.js";

/** A shape of rank 1–4 with at most ~`maxElements` elements; sizes include 1, 3, 7, 15, 17, 33. */
export function randomShape(rng: Rng, maxElements = 700): number[] {
  const rank = rng.int(1, 4);
  const shape: number[] = [];
  let left = maxElements;
  for (let d = 0; d < rank; d++) {
    const size = Math.max(1, Math.min(rng.pick([1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 64]), Math.floor(left)));
    shape.push(size);
    left /= size;
  }
  return shape;
}

/** A tensor of the dtype (quantized with q when given). */
export function tensor(name: string, type: TensorType, shape: number[], q?: Q): TensorSpec {
  return q === undefined ? { name, type, shape } : { name, type, shape, scale: q.scale, zeroPoint: q.zeroPoint };
}

/** The BuiltinOperator code of an operator name. */
export function opCode(name: string): number {
  const code = BUILTIN_OP_NAMES.indexOf(name);
  if (code < 0) throw new Error(`unknown operator ${name}`);
  return code;
}

/** One operator from input to output. */
export function unaryModel(opName: string, x: TensorSpec, y: TensorSpec, options: BuiltinOptions | null = null, version = 1): Uint8Array {
  return singleOpModel({ builtinCode: opCode(opName), inputs: [x], outputs: [y], options, version });
}

/** The version of an activation op for the dtype: int8 ops are version 2. */
export const versionOf = (type: TensorType) => (type === "int8" ? 2 : 1);

type ActivationType = "int8" | "uint8" | "float32";

/** How an activation group's cases vary (defaults: all three dtypes, random quantizations, random inputs). */
export interface ActivationGroup {
  op: string;
  types?: ActivationType[];
  /** 8-bit cases per dtype (default 8) and float32 cases (default 5). */
  quantizedCases?: number;
  floatCases?: number;
  inputQuant?: (rng: Rng, type: QuantDtype, i: number) => Q;
  outputQuant?: (rng: Rng, type: QuantDtype, i: number, input: Q) => Q;
  options?: (rng: Rng, i: number) => BuiltinOptions | null;
  version?: (type: ActivationType) => number;
  /** One sample of the input tensor's bytes (default: uniform bytes, floats in [-4, 4)). */
  sample?: (rng: Rng, type: ActivationType, count: number, q?: Q) => Uint8Array;
}

/** The cases of a one-input activation group. */
export function activationCases(rng: Rng, g: ActivationGroup): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const type of g.types ?? ["int8", "uint8", "float32"]) {
    const n = type === "float32" ? g.floatCases ?? 5 : g.quantizedCases ?? 8;
    for (let i = 0; i < n; i++) {
      const shape = randomShape(rng);
      let qIn: Q | undefined;
      let qOut: Q | undefined;
      if (type !== "float32") {
        qIn = g.inputQuant?.(rng, type, i) ?? randomQuant(rng, type, 1e-3, 0.5);
        qOut = g.outputQuant?.(rng, type, i, qIn) ?? randomQuant(rng, type, 1e-3, 0.5);
      }
      const options = g.options?.(rng, i) ?? null;
      const model = unaryModel(g.op, tensor("input", type, shape, qIn), tensor("output", type, shape, qOut), options, g.version?.(type) ?? versionOf(type));
      const count = shape.reduce((a, b) => a * b, 1);
      const inputs = g.sample ? Array.from({ length: SAMPLES }, () => [g.sample!(rng, type, count, qIn)]) : undefined;
      cases.push({ name: `${type}_${i}`, model, inputs });
    }
  }
  return cases;
}

/** Bytes of a float32 array. */
export const floatBytes = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
