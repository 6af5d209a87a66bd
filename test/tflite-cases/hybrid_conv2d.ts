// Hybrid CONV_2D: float32 images quantized one per batch, symmetric with per-tensor scales (or
// per-channel ones all equal), asymmetric with per-channel scales that differ (TFLite's
// EvalHybridPerChannel); padding, strides, dilation, fused activations (TFLite's hybrid CONV_2D
// needs its bias).
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import { singleOpModel } from "../model-builder.js";
import { pickActivation, randomChannels } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { floatActivation, floatInputs, hybridBias, hybridFilter } from "./hybrid-model.js";

function outSize(padding: "SAME" | "VALID", size: number, k: number, stride: number, dilation: number): number {
  const effective = (k - 1) * dilation + 1;
  return padding === "SAME" ? Math.ceil(size / stride) : Math.ceil((size - effective + 1) / stride);
}

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const kind of ["tensor", "channel"]) {
    for (let i = 0; i < 12; i++) {
      const batches = rng.int(1, 2);
      const inC = rng.pick([1, 2, 3, 5, 8]);
      const outC = randomChannels(rng, 17);
      const k = rng.pick([1, 2, 3]);
      const stride = rng.pick([1, 1, 2]);
      const dilation = k > 1 && rng.bool(0.2) ? 2 : 1;
      const padding = rng.bool(0.5) ? "SAME" : "VALID";
      const h = rng.int((k - 1) * dilation + 1, 7), w = rng.int((k - 1) * dilation + 1, 7);
      const filter = hybridFilter(rng, [outC, k, k, inC], 0, kind === "channel");
      const oh = outSize(padding, h, k, stride, dilation), ow = outSize(padding, w, k, stride, dilation);
      cases.push({
        name: `${kind}_${i}`,
        model: singleOpModel({
          builtinCode: BuiltinOp.CONV_2D,
          inputs: [floatActivation("input", [batches, h, w, inC]), filter, hybridBias(rng, outC, false)],
          outputs: [floatActivation("output", [batches, oh, ow, outC])],
          options: {
            kind: "Conv2DOptions", padding, strideW: stride, strideH: stride, dilationWFactor: dilation, dilationHFactor: dilation,
            fusedActivation: pickActivation(rng),
          },
          version: 5,
        }),
        inputs: floatInputs(rng, batches * h * w * inC, rng.pick([0.5, 4, 100]), h * w * inC, i === 0 ? [0] : []),
      });
    }
  }
  return cases;
};
