// TRANSPOSE_CONV: int8 activations with per-channel int8 weights, uint8 with per-tensor uint8
// weights, float32; SAME and VALID padding, strides 1–3, filters 1×1 to 4×4 (not square too),
// output sizes at both ends of what each padding allows, with and without bias, fused activations.
import { BUILTIN_OP_NAMES } from "../../js/tflite/builtin-ops.js";
import type { FusedActivation, Padding } from "../../js/tflite/types.js";
import { type QType, type TensorSpec, biasTensor, singleOpModel, weight } from "../model-builder.js";
import { pickActivation, randomChannels, randomData, randomQuant, randomZeroPoint } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of ["int8", "uint8", "float32"] as const) {
    for (let i = 0; i < 16; i++) {
      const padding: Padding = i % 2 === 0 ? "SAME" : "VALID";
      const [strideH, strideW] = [rng.int(1, 3), rng.int(1, 3)];
      const [kH, kW] = [rng.int(1, 4), rng.int(1, 4)];
      const [inH, inW] = [rng.int(1, 5), rng.int(1, 5)];
      const inC = randomChannels(rng, type === "float32" ? 8 : 17);
      const outC = randomChannels(rng, type === "float32" ? 8 : 17);
      const batches = inC * outC <= 64 ? rng.int(1, 2) : 1;
      // The largest output size each padding maps back to the input size, or the smallest.
      const size = (n: number, s: number, k: number) => (padding === "SAME" ? (rng.bool() ? n * s : (n - 1) * s + 1) : (n - 1) * s + k + (rng.bool() ? s - 1 : 0));
      const [outH, outW] = [size(inH, strideH, kH), size(inW, strideW, kW)];
      const withBias = i % 4 < 2 || i % 4 === 3;
      const activation: FusedActivation = i < 8 ? "NONE" : pickActivation(rng);
      const outputShape: TensorSpec = { name: "output_shape", type: "int32", shape: [4], data: new Int32Array([batches, outH, outW, outC]) };
      const filterShape = [outC, kH, kW, inC];
      const filterCount = outC * kH * kW * inC;
      let inputs: (TensorSpec | null)[];
      let outputs: TensorSpec[];
      if (type === "float32") {
        const filter = Float32Array.from({ length: filterCount }, () => rng.float() * 2 - 1);
        const bias = Float32Array.from({ length: outC }, () => rng.float() * 4 - 2);
        inputs = [
          outputShape, { name: "weights", type, shape: filterShape, data: filter }, { name: "input", type, shape: [batches, inH, inW, inC] },
          withBias ? { name: "bias", type, shape: [outC], data: bias } : null,
        ];
        outputs = [{ name: "output", type, shape: [batches, outH, outW, outC] }];
      } else {
        const q = randomQuant(rng, type as QType, 0.005, 0.1);
        const scales = type === "int8" ? Array.from({ length: outC }, () => Math.fround(rng.logUniform(0.002, 0.05))) : [Math.fround(rng.logUniform(0.002, 0.05))];
        const w = {
          type: type as QType, shape: filterShape, data: randomData(rng, type as QType, filterCount), scales,
          zeroPoints: type === "int8" ? scales.map(() => 0) : [randomZeroPoint(rng, "uint8")], quantizedDimension: 0,
        };
        const outScale = Math.fround(q.scale * scales[0] * rng.logUniform(20, 400));
        const bias = rng.int32Array(outC, -3000, 3000);
        inputs = [
          outputShape, weight(w), { name: "input", type, shape: [batches, inH, inW, inC], scale: q.scale, zeroPoint: q.zeroPoint },
          withBias ? biasTensor(bias, q.scale, w) : null,
        ];
        outputs = [{ name: "output", type, shape: [batches, outH, outW, outC], scale: outScale, zeroPoint: randomZeroPoint(rng, type as QType) }];
      }
      cases.push({
        name: `${type}_${padding}_s${strideH}x${strideW}_k${kH}x${kW}_${inH}x${inW}to${outH}x${outW}_${withBias ? "bias" : "nobias"}_${activation}_${i}`,
        model: singleOpModel({
          builtinCode: BUILTIN_OP_NAMES.indexOf("TRANSPOSE_CONV"),
          inputs, outputs,
          options: { kind: "TransposeConvOptions", padding, strideH, strideW, fusedActivation: activation },
          version: activation !== "NONE" ? 4 : 3,
        }),
      });
    }
  }
  return cases;
};
