// The v128 kernels of RESIZE_BILINEAR and TRANSPOSE_CONV (int8, uint8, float32) against their
// scalar references: random one-operator models with awkward sizes, run with both kernel sets,
// outputs byte-identical.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model, type TensorData } from "../js/index.js";
import { BUILTIN_OP_NAMES } from "../js/tflite/builtin-ops.js";
import { biasTensor, singleOpModel, type TensorSpec, weight } from "./model-builder.js";
import { AWKWARD_CHANNELS, Rng, pickActivation, randomData, randomQuant } from "./random.js";

const ARRAYS = { int8: Int8Array, uint8: Uint8Array, float32: Float32Array } as const;

/** Runs the model on one random input with both kernel sets; asserts equal output bytes. */
async function sameOutputs(file: Uint8Array, rng: Rng, what: string): Promise<void> {
  const outputs: Uint8Array[] = [];
  let inputs: TensorData[] | undefined;
  for (const kernels of ["simd", "scalar"] as const) {
    const model = await Model.load(file, { kernels });
    inputs ??= model.inputs.map((t) => {
      const n = t.shape.reduce((a, b) => a * b, 1);
      const Type = ARRAYS[t.dtype as keyof typeof ARRAYS];
      const values = new Type(n);
      for (let i = 0; i < n; i++) values[i] = t.dtype === "float32" ? rng.float() * 8 - 4 : rng.int(t.dtype === "int8" ? -128 : 0, t.dtype === "int8" ? 127 : 255);
      return values;
    });
    const [out] = model.runAll(inputs);
    outputs.push(new Uint8Array(out.buffer, out.byteOffset, out.byteLength).slice());
    model.dispose();
  }
  const differ = outputs[0].findIndex((b, i) => b !== outputs[1][i]);
  assert.is(differ, -1, `${what}: v128 and reference differ at byte ${differ}`);
}

test("resize_bilinear: v128 = reference", async () => {
  const rng = new Rng(4711);
  for (let n = 0; n < 40; n++) {
    const type = rng.pick(["int8", "uint8", "float32"] as const);
    const channels = rng.pick([...AWKWARD_CHANNELS, 40, 64]);
    const [inH, inW, outH, outW] = [rng.int(1, 9), rng.int(1, 9), rng.int(1, 17), rng.int(1, 17)];
    const [alignCorners, halfPixelCenters] = rng.pick([[false, false], [true, false], [false, true]] as const);
    const q = type === "float32" ? undefined : randomQuant(rng, type);
    const tensor = (shape: number[]): TensorSpec => ({ type, shape, scale: q?.scale, zeroPoint: q?.zeroPoint });
    const file = singleOpModel({
      builtinCode: BUILTIN_OP_NAMES.indexOf("RESIZE_BILINEAR"),
      inputs: [tensor([1, inH, inW, channels]), { type: "int32", shape: [2], data: new Int32Array([outH, outW]) }],
      outputs: [tensor([1, outH, outW, channels])],
      options: { kind: "ResizeBilinearOptions", alignCorners, halfPixelCenters },
      version: 3,
    });
    await sameOutputs(file, rng, `${type} ${inH}×${inW}×${channels} → ${outH}×${outW} ac ${alignCorners} hpc ${halfPixelCenters}`);
  }
});

test("transpose_conv: v128 = reference", async () => {
  const rng = new Rng(4712);
  for (let n = 0; n < 36; n++) {
    const type = rng.pick(["int8", "uint8", "float32"] as const);
    const [inC, outC] = [rng.pick([...AWKWARD_CHANNELS, 40]), rng.pick(AWKWARD_CHANNELS)];
    const [kH, kW, strideH, strideW, inH, inW] = [rng.int(1, 5), rng.int(1, 5), rng.int(1, 3), rng.int(1, 3), rng.int(1, 6), rng.int(1, 6)];
    const padding = rng.pick(["SAME", "VALID"] as const);
    const [outH, outW] = padding === "SAME" ? [inH * strideH, inW * strideW] : [(inH - 1) * strideH + kH, (inW - 1) * strideW + kW];
    const filterShape = [outC, kH, kW, inC];
    const filterCount = outC * kH * kW * inC;
    const outputShape: TensorSpec = { type: "int32", shape: [4], data: new Int32Array([1, outH, outW, outC]) };
    let tensors: { filter: TensorSpec; input: TensorSpec; bias: TensorSpec; output: TensorSpec };
    if (type === "float32") {
      tensors = {
        filter: { type, shape: filterShape, data: Float32Array.from({ length: filterCount }, () => rng.float() * 2 - 1) },
        input: { type, shape: [1, inH, inW, inC] },
        bias: { type, shape: [outC], data: Float32Array.from({ length: outC }, () => rng.float() - 0.5) },
        output: { type, shape: [1, outH, outW, outC] },
      };
    } else {
      const q = randomQuant(rng, type, 0.005, 0.1);
      const scales = type === "int8" ? Array.from({ length: outC }, () => Math.fround(rng.logUniform(0.002, 0.05))) : [0.01];
      const w = {
        type, shape: filterShape, data: randomData(rng, type, filterCount), scales,
        zeroPoints: type === "int8" ? scales.map(() => 0) : [rng.int(0, 255)], quantizedDimension: 0,
      };
      tensors = {
        filter: weight(w), input: { type, shape: [1, inH, inW, inC], scale: q.scale, zeroPoint: q.zeroPoint },
        bias: biasTensor(rng.int32Array(outC, -5000, 5000), q.scale, w),
        output: { type, shape: [1, outH, outW, outC], scale: Math.fround(q.scale * scales[0] * 60), zeroPoint: rng.int(0, 100) * (type === "int8" ? -1 : 1) },
      };
    }
    const file = singleOpModel({
      builtinCode: BUILTIN_OP_NAMES.indexOf("TRANSPOSE_CONV"),
      inputs: [outputShape, tensors.filter, tensors.input, rng.bool() ? tensors.bias : null],
      outputs: [tensors.output],
      options: { kind: "TransposeConvOptions", padding, strideH, strideW, fusedActivation: pickActivation(rng) },
      version: 4,
    });
    await sameOutputs(file, rng, `${type} ${inH}×${inW}×${inC} k${kH}×${kW} s${strideH}×${strideW} ${padding} → ${outC}`);
  }
});

test.run();
