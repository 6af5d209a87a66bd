// Hybrid DEPTHWISE_CONV_2D: float32 images quantized one per batch (asymmetric), int8 filters with
// per-channel scales; depth multipliers, padding, strides, dilation, fused activations (TFLite's
// hybrid DEPTHWISE_CONV_2D needs its bias).
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import { singleOpModel } from "../model-builder.js";
import { pickActivation } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { floatActivation, floatInputs, hybridBias, hybridFilter } from "./hybrid-model.js";

function outSize(padding: "SAME" | "VALID", size: number, k: number, stride: number, dilation: number): number {
  const effective = (k - 1) * dilation + 1;
  return padding === "SAME" ? Math.ceil(size / stride) : Math.ceil((size - effective + 1) / stride);
}

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (let i = 0; i < 20; i++) {
    const batches = rng.int(1, 2);
    const inC = rng.pick([1, 2, 3, 7, 8, 16, 17]);
    const multiplier = rng.pick([1, 1, 2, 3]);
    const outC = inC * multiplier;
    const k = rng.pick([1, 3, 3, 5]);
    const stride = rng.pick([1, 1, 2]);
    const dilation = k > 1 && rng.bool(0.2) ? 2 : 1;
    const padding = rng.bool(0.5) ? "SAME" : "VALID";
    const h = rng.int((k - 1) * dilation + 1, 9), w = rng.int((k - 1) * dilation + 1, 9);
    const oh = outSize(padding, h, k, stride, dilation), ow = outSize(padding, w, k, stride, dilation);
    cases.push({
      name: `case_${i}`,
      model: singleOpModel({
        builtinCode: BuiltinOp.DEPTHWISE_CONV_2D,
        inputs: [floatActivation("input", [batches, h, w, inC]), hybridFilter(rng, [1, k, k, outC], 3, true), hybridBias(rng, outC, false)],
        outputs: [floatActivation("output", [batches, oh, ow, outC])],
        options: {
          kind: "DepthwiseConv2DOptions", padding, strideW: stride, strideH: stride, depthMultiplier: multiplier,
          dilationWFactor: dilation, dilationHFactor: dilation, fusedActivation: pickActivation(rng),
        },
        version: 6,
      }),
      inputs: floatInputs(rng, batches * h * w * inC, rng.pick([0.5, 4, 100]), h * w * inC, i === 0 ? [0] : []),
    });
  }
  return cases;
};
