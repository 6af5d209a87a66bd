// Hybrid FULLY_CONNECTED: float32 input rows quantized one by one, symmetric or asymmetric
// (asymmetric_quantize_inputs), int8 filters with per-tensor or per-channel scales, with and without
// bias, keep_num_dims, every fused activation, awkward depths; some rows all zero.
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import { singleOpModel } from "../model-builder.js";
import { pickActivation, randomChannels } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { floatActivation, floatInputs, hybridBias, hybridFilter } from "./hybrid-model.js";

const DEPTHS = [1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64];

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const asymmetric of [false, true]) {
    for (const perChannel of [false, true]) {
      for (let i = 0; i < 6; i++) {
        const depth = rng.pick(DEPTHS);
        const outC = randomChannels(rng);
        const lead = rng.pick([[1], [rng.int(2, 4)], [2, rng.int(1, 3)]]);
        const rows = lead.reduce((a, b) => a * b, 1);
        const keepNumDims = lead.length > 1 && rng.bool(0.5);
        cases.push({
          name: `${asymmetric ? "asymmetric" : "symmetric"}_${perChannel ? "channel" : "tensor"}_${i}`,
          model: singleOpModel({
            builtinCode: BuiltinOp.FULLY_CONNECTED,
            inputs: [floatActivation("input", [...lead, depth]), hybridFilter(rng, [outC, depth], 0, perChannel), hybridBias(rng, outC)],
            outputs: [floatActivation("output", keepNumDims ? [...lead, outC] : [rows, outC])],
            options: {
              kind: "FullyConnectedOptions", fusedActivation: pickActivation(rng), weightsFormat: 0, keepNumDims,
              asymmetricQuantizeInputs: asymmetric,
            },
            version: 9,
          }),
          inputs: floatInputs(rng, rows * depth, rng.pick([0.5, 4, 100]), depth, rows > 1 && i % 2 === 0 ? [rows - 1] : []),
        });
      }
    }
  }
  return cases;
};
