// CONV_2D: int8 per-channel and per-tensor, uint8; strides, dilations, SAME/VALID, fused
// activations, one-pixel (filter = input) cases; float32. Always with a bias, which TFLite needs.
import { convOutputAndPadding } from "../../js/ops/quantization.js";
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import * as mb from "../model-builder.js";
import {
  outputScaleFor, type QuantDtype, randomConvGeometry, randomQuant, randomScale, randomWeights, randomZeroPoint, type Rng,
} from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export type ConvVariant = { dtype: QuantDtype | "float32"; perChannel: boolean };

/** A random CONV_2D (or DEPTHWISE_CONV_2D) model; `onePixel`: the filter covers the whole input. */
export function randomConvModel(r: Rng, v: ConvVariant, depthwise: boolean, onePixel = false): Uint8Array {
  const { batch, inC, outC, depthMultiplier, kH, kW, strideH, strideW, dilationH, dilationW, inH, inW, padding, activation } =
    randomConvGeometry(r, depthwise, onePixel, 12);
  const outH = convOutputAndPadding(padding, inH, kH, strideH, dilationH).outSize;
  const outW = convOutputAndPadding(padding, inW, kW, strideW, dilationW).outSize;
  const inShape = [batch, inH, inW, inC];
  const outShape = [batch, outH, outW, outC];
  const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, inC];
  const filterCount = filterShape.reduce((a, b) => a * b, 1);
  const geometry = { padding, strideH, strideW, dilationH, dilationW, activation };
  if (v.dtype === "float32") {
    const filter = Float32Array.from({ length: filterCount }, () => r.float() * 2 - 1);
    const bias = Float32Array.from({ length: outC }, () => r.float() * 2 - 1); // TFLite's float kernels need one
    return mb.singleOpModel({
      builtinCode: depthwise ? BuiltinOp.DEPTHWISE_CONV_2D : BuiltinOp.CONV_2D,
      inputs: [
        { name: "input", type: "float32", shape: inShape },
        { name: "filter", type: "float32", shape: filterShape, data: filter },
        { name: "bias", type: "float32", shape: [outC], data: bias },
      ],
      outputs: [{ name: "output", type: "float32", shape: outShape }],
      options: depthwise
        ? { kind: "DepthwiseConv2DOptions", padding, strideW, strideH, depthMultiplier, dilationWFactor: dilationW, dilationHFactor: dilationH, fusedActivation: activation }
        : { kind: "Conv2DOptions", padding, strideW, strideH, dilationWFactor: dilationW, dilationHFactor: dilationH, fusedActivation: activation },
      version: 1,
    });
  }
  const dtype = v.dtype;
  const inQ = randomQuant(r, dtype, 1e-3, 2);
  const baseW = randomScale(r, 1e-4, 0.5);
  const channels = v.perChannel ? outC : 1;
  const wScales = Array.from({ length: channels }, () => (v.perChannel ? Math.fround(baseW * r.logUniform(0.05, 20)) : baseW));
  const wZero = dtype === "int8" ? new Array<number>(channels).fill(0) : [randomZeroPoint(r, "uint8")];
  const depth = depthwise ? kH * kW : kH * kW * inC;
  const outQ = { scale: outputScaleFor(r, inQ.scale * baseW, depth), zeroPoint: randomZeroPoint(r, dtype) };
  const filter = randomWeights(r, dtype, filterCount);
  const biasRange = 2 ** r.int(0, 17);
  const bias = r.int32Array(outC, -biasRange, biasRange); // TFLite 2.21 refuses a convolution without one
  const spec = {
    input: { type: dtype, shape: inShape, q: inQ },
    weights: { type: dtype, shape: filterShape, data: filter, scales: wScales, zeroPoints: wZero, quantizedDimension: depthwise ? 3 : 0 },
    bias,
    output: { type: dtype, shape: outShape, q: outQ },
    ...geometry,
  };
  return depthwise ? mb.depthwiseModel({ ...spec, depthMultiplier }) : mb.convModel(spec);
}

export const VARIANTS: (ConvVariant & { n: number })[] = [
  { dtype: "int8", perChannel: true, n: 14 },
  { dtype: "int8", perChannel: false, n: 6 },
  { dtype: "uint8", perChannel: false, n: 12 },
  { dtype: "float32", perChannel: false, n: 6 },
];

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const v of VARIANTS) {
    const kind = `${v.dtype}${v.dtype === "int8" ? (v.perChannel ? "_per_channel" : "_per_tensor") : ""}`;
    for (let i = 0; i < v.n; i++) cases.push({ name: `${kind}_${i}`, model: randomConvModel(rng, v, false) });
    if (v.dtype !== "float32") {
      for (let i = 0; i < 3; i++) cases.push({ name: `${kind}_one_pixel_${i}`, model: randomConvModel(rng, v, false, true) });
    }
  }
  return cases;
};
