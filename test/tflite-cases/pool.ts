// AVERAGE_POOL_2D and MAX_POOL_2D (groups average_pool_2d and max_pool_2d): int8 / uint8 with
// SAME / VALID padding, strides, whole-image windows, fused activations; float32.
import { convOutputAndPadding } from "../../js/ops/quantization.js";
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import * as mb from "../model-builder.js";
import { type QuantDtype, type Rng, pickActivation, randomChannels, randomQuant } from "../random.js";
import type { FixtureCase } from "./case.js";

export function poolCases(rng: Rng, kind: "avg" | "max"): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8", "float32"] as (QuantDtype | "float32")[]) {
    for (let i = 0; i < (dtype === "float32" ? 5 : 12); i++) {
      const inShape = [rng.int(1, 2), rng.int(1, 11), rng.int(1, 11), randomChannels(rng)];
      let filterH = rng.int(1, 4);
      let filterW = rng.bool(0.7) ? filterH : rng.int(1, 4);
      const strideH = rng.int(1, 3);
      const strideW = rng.bool(0.8) ? strideH : rng.int(1, 3);
      const padding: "SAME" | "VALID" = rng.bool(0.5) ? "SAME" : "VALID";
      if (padding === "VALID") {
        filterH = Math.min(filterH, inShape[1]);
        filterW = Math.min(filterW, inShape[2]);
      }
      if (rng.bool(0.15)) [filterH, filterW] = [inShape[1], inShape[2]];
      const outShape = [
        inShape[0], convOutputAndPadding(padding, inShape[1], filterH, strideH, 1).outSize,
        convOutputAndPadding(padding, inShape[2], filterW, strideW, 1).outSize, inShape[3],
      ];
      const opts = { padding, strideH, strideW, filterH, filterW, activation: pickActivation(rng) };
      const q = dtype === "float32" ? { scale: 0, zeroPoint: 0 } : randomQuant(rng, dtype, 1e-3, 1);
      const model = dtype === "float32"
        ? mb.singleOpModel({
          builtinCode: kind === "avg" ? BuiltinOp.AVERAGE_POOL_2D : BuiltinOp.MAX_POOL_2D,
          inputs: [{ name: "input", type: "float32", shape: inShape }],
          outputs: [{ name: "output", type: "float32", shape: outShape }],
          options: {
            kind: "Pool2DOptions", padding, strideW, strideH, filterWidth: filterW, filterHeight: filterH, fusedActivation: opts.activation,
          },
        })
        : mb.poolModel({ kind, input: { type: dtype, shape: inShape, q }, output: { type: dtype, shape: outShape, q }, ...opts });
      cases.push({ name: `${dtype}_${i}`, model });
    }
  }
  return cases;
}
