// Runs one operator of a real .tflite model (read with tflite-mini.ts) through the reference,
// so the reference itself can be checked against the golden layer dumps in ../shared/golden.

import { type MiniModel, type MiniOperator, type MiniTensor } from "./tflite-mini.js";
import {
  add,
  averagePool2d,
  conv2d,
  depthwiseConv2d,
  fullyConnected,
  maxPool2d,
  mean,
  requantize,
  reshape,
  softmax,
  type QArray,
} from "./kernels.js";
import type { FusedActivation, PaddingType, QParams } from "./params.js";

export const OP = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  MAX_POOL_2D: 17,
  RESHAPE: 22,
  SOFTMAX: 25,
  PAD: 34,
  MEAN: 40,
  QUANTIZE: 114,
} as const;

export const OP_NAMES: Record<number, string> = Object.fromEntries(Object.entries(OP).map(([k, v]) => [v, k]));

const ACTIVATIONS: FusedActivation[] = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6"];
const PADDINGS: PaddingType[] = ["SAME", "VALID"];

export function tensorQ(t: MiniTensor): QParams {
  if (!t.quantization) throw new Error(`tensor ${t.name} is not quantized`);
  return { scale: t.quantization.scale[0], zeroPoint: t.quantization.zeroPoint[0] };
}

export function constQ(model: MiniModel, index: number): QArray {
  const t = model.tensors[index];
  const buf = model.buffers[t.buffer];
  return t.type === 9 ? new Int8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function constI32(model: MiniModel, index: number): Int32Array {
  const buf = model.buffers[model.tensors[index].buffer];
  const copy = new Uint8Array(buf); // aligned copy
  return new Int32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** Runs `op` with the activation inputs given by `get(tensorIndex)`. */
export function runMiniOp(model: MiniModel, op: MiniOperator, get: (tensorIndex: number) => QArray): QArray {
  const T = model.tensors;
  const out = T[op.outputs[0]];
  const outQ = tensorQ(out);
  const o = op.options;
  const activation = ACTIVATIONS[o.activation ?? 0];
  switch (op.builtinCode) {
    case OP.CONV_2D:
    case OP.DEPTHWISE_CONV_2D: {
      const [iIn, iW, iB] = op.inputs;
      const w = T[iW];
      const filterQ = { scales: w.quantization!.scale, zeroPoints: w.quantization!.zeroPoint };
      const bias = iB >= 0 ? constI32(model, iB) : null;
      const opts = {
        padding: PADDINGS[o.padding],
        strideH: o.strideH,
        strideW: o.strideW,
        dilationH: o.dilationH,
        dilationW: o.dilationW,
        activation,
      };
      const fn = op.builtinCode === OP.CONV_2D ? conv2d : depthwiseConv2d;
      return fn(get(iIn), T[iIn].shape, tensorQ(T[iIn]), constQ(model, iW), w.shape, filterQ, bias, outQ, opts).data;
    }
    case OP.FULLY_CONNECTED: {
      const [iIn, iW, iB] = op.inputs;
      const w = T[iW];
      const filterQ = { scales: w.quantization!.scale, zeroPoints: w.quantization!.zeroPoint };
      const bias = iB >= 0 ? constI32(model, iB) : null;
      return fullyConnected(get(iIn), T[iIn].shape, tensorQ(T[iIn]), constQ(model, iW), w.shape, filterQ, bias, outQ, {
        activation,
        keepNumDims: o.keepNumDims === 1,
      }).data;
    }
    case OP.ADD: {
      const [a, b] = op.inputs;
      return add(get(a), T[a].shape, tensorQ(T[a]), get(b), T[b].shape, tensorQ(T[b]), outQ, activation).data;
    }
    case OP.AVERAGE_POOL_2D:
    case OP.MAX_POOL_2D: {
      const iIn = op.inputs[0];
      const opts = { padding: PADDINGS[o.padding], strideH: o.strideH, strideW: o.strideW, filterH: o.filterH, filterW: o.filterW, activation };
      const fn = op.builtinCode === OP.AVERAGE_POOL_2D ? averagePool2d : maxPool2d;
      return fn(get(iIn), T[iIn].shape, outQ, opts).data;
    }
    case OP.MEAN: {
      const [iIn, iAxis] = op.inputs;
      const axes = Array.from(constI32(model, iAxis));
      return mean(get(iIn), T[iIn].shape, tensorQ(T[iIn]), outQ, { axes, keepDims: o.keepDims === 1 }).data;
    }
    case OP.RESHAPE:
      return reshape(get(op.inputs[0]), out.shape).data;
    case OP.SOFTMAX: {
      const iIn = op.inputs[0];
      return softmax(get(iIn), T[iIn].shape, tensorQ(T[iIn]), o.beta).data;
    }
    case OP.QUANTIZE: {
      const iIn = op.inputs[0];
      return requantize(get(iIn), tensorQ(T[iIn]), out.type === 9 ? "int8" : "uint8", outQ);
    }
    default:
      throw new Error(`runMiniOp: unsupported builtin ${op.builtinCode}`);
  }
}
