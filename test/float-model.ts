// A small float32 classifier for the quantization tests, using every op quantize() supports:
// CONV_2D (RELU6) → DEPTHWISE_CONV_2D (RELU6) → CONV_2D → ADD (residual) → PAD → MAX_POOL_2D
// and AVERAGE_POOL_2D → CONCATENATION → MEAN → RESHAPE → FULLY_CONNECTED → SOFTMAX.
// Weights are random but scaled so activations stay in a MobileNet-like range.
import { BuiltinOp } from "../js/tflite/builtin-ops.js";
import type { ModelDef } from "../js/tflite/types.js";
import { buildModel, type TensorSpec } from "./model-builder.js";
import { Rng } from "./random.js";

export interface FloatModelOptions {
  seed?: number;
  size?: number;
  classes?: number;
}

function randomFloats(rng: Rng, n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}

export function floatClassifierDef(options: FloatModelOptions = {}): ModelDef {
  const rng = new Rng(options.seed ?? 7);
  const size = options.size ?? 16;
  const classes = options.classes ?? 10;
  const c1 = 8;
  const half = Math.ceil(size / 2);
  const tensors: TensorSpec[] = [];
  const t = (spec: TensorSpec) => tensors.push(spec) - 1;
  const f = (name: string, shape: number[]) => t({ name, type: "float32", shape });
  const constant = (name: string, shape: number[], scale: number) =>
    t({ name, type: "float32", shape, data: randomFloats(rng, shape.reduce((a, b) => a * b, 1), scale) });
  const ints = (name: string, values: number[], shape = [values.length]) => t({ name, type: "int32", shape, data: new Int32Array(values) });

  const input = f("input", [1, size, size, 3]);
  const w1 = constant("conv1/weights", [c1, 3, 3, 3], 0.3);
  const b1 = constant("conv1/bias", [c1], 0.2);
  const a1 = f("conv1/Relu6", [1, half, half, c1]);
  const w2 = constant("dw/weights", [1, 3, 3, c1], 0.4);
  const b2 = constant("dw/bias", [c1], 0.1);
  const a2 = f("dw/Relu6", [1, half, half, c1]);
  const w3 = constant("project/weights", [c1, 1, 1, c1], 0.35);
  const b3 = constant("project/bias", [c1], 0.1);
  const a3 = f("project/BiasAdd", [1, half, half, c1]);
  const a4 = f("add", [1, half, half, c1]);
  const paddings = ints("paddings", [0, 0, 1, 1, 1, 1, 0, 0], [4, 2]);
  const a5 = f("pad", [1, half + 2, half + 2, c1]);
  const pooled = Math.floor((half + 2 - 2) / 2) + 1;
  const a6 = f("maxpool", [1, pooled, pooled, c1]);
  const a7 = f("avgpool", [1, pooled, pooled, c1]);
  const a8 = f("concat", [1, pooled, pooled, 2 * c1]);
  const axes = ints("mean/axes", [1, 2]);
  const a9 = f("mean", [1, 1, 1, 2 * c1]);
  const shape = ints("reshape/shape", [1, 2 * c1]);
  const a10 = f("reshape", [1, 2 * c1]);
  const w4 = constant("logits/weights", [classes, 2 * c1], 0.6);
  const b4 = constant("logits/bias", [classes], 0.3);
  const a11 = f("logits", [1, classes]);
  const a12 = f("probabilities", [1, classes]);

  const conv = (padding: "SAME" | "VALID", stride: number, act: "NONE" | "RELU6") => ({
    kind: "Conv2DOptions" as const, padding, strideW: stride, strideH: stride, dilationWFactor: 1, dilationHFactor: 1, fusedActivation: act,
  });
  const pool = { kind: "Pool2DOptions" as const, padding: "VALID" as const, strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, fusedActivation: "NONE" as const };
  return buildModel({
    tensors,
    ops: [
      { builtinCode: BuiltinOp.CONV_2D, inputs: [input, w1, b1], outputs: [a1], options: conv("SAME", 2, "RELU6") },
      {
        builtinCode: BuiltinOp.DEPTHWISE_CONV_2D, inputs: [a1, w2, b2], outputs: [a2],
        options: { kind: "DepthwiseConv2DOptions", padding: "SAME", strideW: 1, strideH: 1, depthMultiplier: 1, dilationWFactor: 1, dilationHFactor: 1, fusedActivation: "RELU6" },
      },
      { builtinCode: BuiltinOp.CONV_2D, inputs: [a2, w3, b3], outputs: [a3], options: conv("SAME", 1, "NONE") },
      { builtinCode: BuiltinOp.ADD, inputs: [a3, a1], outputs: [a4], options: { kind: "AddOptions", fusedActivation: "NONE", potScaleInt16: true } },
      { builtinCode: BuiltinOp.PAD, inputs: [a4, paddings], outputs: [a5], options: { kind: "PadOptions" } },
      { builtinCode: BuiltinOp.MAX_POOL_2D, inputs: [a5], outputs: [a6], options: pool },
      { builtinCode: BuiltinOp.AVERAGE_POOL_2D, inputs: [a5], outputs: [a7], options: pool },
      { builtinCode: BuiltinOp.CONCATENATION, inputs: [a6, a7], outputs: [a8], options: { kind: "ConcatenationOptions", axis: 3, fusedActivation: "NONE" } },
      { builtinCode: BuiltinOp.MEAN, inputs: [a8, axes], outputs: [a9], options: { kind: "ReducerOptions", keepDims: true } },
      { builtinCode: BuiltinOp.RESHAPE, inputs: [a9, shape], outputs: [a10], options: { kind: "ReshapeOptions", newShape: [1, 2 * c1] } },
      {
        builtinCode: BuiltinOp.FULLY_CONNECTED, inputs: [a10, w4, b4], outputs: [a11],
        options: { kind: "FullyConnectedOptions", fusedActivation: "NONE", weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false },
      },
      { builtinCode: BuiltinOp.SOFTMAX, inputs: [a11], outputs: [a12], options: { kind: "SoftmaxOptions", beta: 1 } },
    ],
    inputs: [input],
    outputs: [a12],
    description: "quantlite float test classifier",
  });
}

/** Random inputs in [-1, 1] like normalised pixels, with some spatial structure. */
export function floatInputs(count: number, size = 16, seed = 11): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const a = new Float32Array(size * size * 3);
    const base = [rng.float() * 2 - 1, rng.float() * 2 - 1, rng.float() * 2 - 1];
    for (let i = 0; i < a.length; i++) a[i] = Math.max(-1, Math.min(1, base[i % 3] + 0.5 * rng.normal()));
    return a;
  });
}
