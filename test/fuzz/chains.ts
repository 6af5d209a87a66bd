// Small valid models of several operators for the fuzzer to mutate: a random chain over one
// quantized activation, e.g. QUANTIZE → CONV_2D → DEPTHWISE_CONV_2D → ADD → MEAN →
// FULLY_CONNECTED → SOFTMAX → DEQUANTIZE, with residual ADDs, second graph inputs, CONCATENATION,
// PAD and RESHAPE along the way. Shapes stay tiny, so a model loads and runs in about a millisecond.
import { convOutputAndPadding } from "../../js/ops/quantization.js";
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import type { BuiltinOptions, ModelDef, Padding } from "../../js/tflite/types.js";
import {
  type OpSpec, type QType, type TensorSpec, type WeightSpec, biasTensor, buildModel, opVersion, weight,
} from "../model-builder.js";
import { type Rng, pickActivation, randomChannels, randomQuant } from "../random.js";

interface Activation {
  index: number;
  shape: number[];
  scale: number;
  zeroPoint: number;
}

type Step = (chain: ChainBuilder, x: Activation) => Activation;

class ChainBuilder {
  readonly tensors: TensorSpec[] = [];
  readonly ops: OpSpec[] = [];
  readonly inputs: number[] = [];
  readonly activations: Activation[] = [];
  readonly names: string[] = [];

  constructor(readonly rng: Rng, readonly dtype: QType) {}

  activation(shape: number[], q: { scale: number; zeroPoint: number } = randomQuant(this.rng, this.dtype)): Activation {
    const index = this.tensors.push({ type: this.dtype, shape, scale: q.scale, zeroPoint: q.zeroPoint }) - 1;
    const t = { index, shape, scale: q.scale, zeroPoint: q.zeroPoint };
    this.activations.push(t);
    return t;
  }

  graphInput(shape: number[], q?: { scale: number; zeroPoint: number }): Activation {
    const t = this.activation(shape, q);
    this.inputs.push(t.index);
    return t;
  }

  /** A tensor outside the chain's activations: a constant when it has data. */
  tensor(spec: TensorSpec): number {
    return this.tensors.push(spec) - 1;
  }

  op(name: keyof typeof BuiltinOp, inputs: number[], output: number, options: BuiltinOptions, int8Version: number): void {
    this.names.push(name);
    this.ops.push({ builtinCode: BuiltinOp[name], inputs, outputs: [output], options, version: opVersion(this.dtype, int8Version) });
  }

  /** Filter weights: per-channel int8 with zero point 0, or per-tensor uint8. */
  weights(shape: number[], quantizedDimension: number): WeightSpec {
    const { rng } = this;
    const count = shape.reduce((a, b) => a * b, 1);
    const channels = shape[quantizedDimension];
    const int8 = this.dtype === "int8";
    return {
      type: this.dtype,
      shape,
      data: int8 ? rng.int8Array(count, -127, 127) : rng.uint8Array(count),
      scales: int8 ? Array.from({ length: channels }, () => randomQuant(rng, "int8", 1e-3, 0.1).scale) : [randomQuant(rng, "uint8", 1e-3, 0.1).scale],
      zeroPoints: int8 ? Array(channels).fill(0) : [rng.int(0, 255)],
      quantizedDimension,
    };
  }

  bias(x: Activation, w: WeightSpec, channels: number): number {
    if (this.rng.bool(0.2)) return -1;
    return this.tensor(biasTensor(this.rng.int32Array(channels, -2000, 2000), x.scale, w));
  }
}

const sameQuant = (x: Activation) => ({ scale: x.scale, zeroPoint: x.zeroPoint });

interface Window {
  k: number;
  stride: number;
  dilation: number;
  out: number;
}

/**
 * Kernel sizes (1 to 3, possibly larger than the input), strides and dilations along H and W,
 * and a padding that gives a non-empty output: VALID when it fits, else SAME (which always does).
 */
function windows(rng: Rng, x: Activation, dilated: boolean): { padding: Padding; rows: Window; cols: Window } {
  const axes = [x.shape[1], x.shape[2]].map((size) => ({ size, k: rng.int(1, 3), stride: rng.int(1, 2), dilation: dilated && rng.bool(0.15) ? 2 : 1 }));
  const outSize = (padding: Padding, a: (typeof axes)[number]) => convOutputAndPadding(padding, a.size, a.k, a.stride, a.dilation).outSize;
  const padding: Padding = rng.bool() && axes.every((a) => outSize("VALID", a) >= 1) ? "VALID" : "SAME";
  const [rows, cols] = axes.map((a) => ({ k: a.k, stride: a.stride, dilation: a.dilation, out: outSize(padding, a) }));
  return { padding, rows, cols };
}

const conv: Step = (c, x) => {
  const [n, , , inC] = x.shape;
  const { padding, rows, cols } = windows(c.rng, x, true);
  const outC = randomChannels(c.rng);
  const w = c.weights([outC, rows.k, cols.k, inC], 0);
  const y = c.activation([n, rows.out, cols.out, outC]);
  c.op("CONV_2D", [x.index, c.tensor(weight(w)), c.bias(x, w, outC)], y.index, {
    kind: "Conv2DOptions", padding, strideH: rows.stride, strideW: cols.stride,
    dilationHFactor: rows.dilation, dilationWFactor: cols.dilation, fusedActivation: pickActivation(c.rng),
  }, 3);
  return y;
};

const depthwise: Step = (c, x) => {
  const [n, , , inC] = x.shape;
  const { padding, rows, cols } = windows(c.rng, x, true);
  const multiplier = c.rng.int(1, 2);
  const outC = inC * multiplier;
  const w = c.weights([1, rows.k, cols.k, outC], 3);
  const y = c.activation([n, rows.out, cols.out, outC]);
  c.op("DEPTHWISE_CONV_2D", [x.index, c.tensor(weight(w)), c.bias(x, w, outC)], y.index, {
    kind: "DepthwiseConv2DOptions", padding, strideH: rows.stride, strideW: cols.stride,
    depthMultiplier: multiplier, dilationHFactor: rows.dilation, dilationWFactor: cols.dilation, fusedActivation: pickActivation(c.rng),
  }, 3);
  return y;
};

const pool: Step = (c, x) => {
  const { padding, rows, cols } = windows(c.rng, x, false);
  const kind = c.rng.bool() ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
  const [n, , , channels] = x.shape;
  const y = c.activation([n, rows.out, cols.out, channels], sameQuant(x));
  c.op(kind, [x.index], y.index, {
    kind: "Pool2DOptions", padding, strideH: rows.stride, strideW: cols.stride,
    filterHeight: rows.k, filterWidth: cols.k, fusedActivation: pickActivation(c.rng),
  }, 2);
  return y;
};

const add: Step = (c, x) => {
  const earlier = c.activations.filter((t) => t !== x && t.shape.join() === x.shape.join());
  const broadcast = x.shape.map((d, i) => (i === x.shape.length - 1 || c.rng.bool() ? d : 1));
  const other = earlier.length > 0 && c.rng.bool(0.6) ? c.rng.pick(earlier) : c.graphInput(c.rng.bool() ? x.shape : broadcast);
  const y = c.activation(x.shape);
  const operands = c.rng.bool() ? [x.index, other.index] : [other.index, x.index];
  c.op("ADD", operands, y.index, { kind: "AddOptions", fusedActivation: pickActivation(c.rng), potScaleInt16: true }, 2);
  return y;
};

const mean: Step = (c, x) => {
  const keepDims = c.rng.bool();
  const [n, , , ch] = x.shape;
  const axes = c.rng.pick([[1, 2], [2, 1], [-3, -2]]);
  const y = c.activation(keepDims ? [n, 1, 1, ch] : [n, ch], c.rng.bool() ? sameQuant(x) : undefined);
  const axis = c.tensor({ type: "int32", shape: [2], data: new Int32Array(axes) });
  c.op("MEAN", [x.index, axis], y.index, { kind: "ReducerOptions", keepDims }, 2);
  return y;
};

const pad: Step = (c, x) => {
  const paddings = x.shape.flatMap(() => [c.rng.int(0, 2), c.rng.int(0, 2)]);
  const y = c.activation(x.shape.map((d, i) => d + paddings[2 * i] + paddings[2 * i + 1]), sameQuant(x));
  const constant = c.tensor({ type: "int32", shape: [x.shape.length, 2], data: new Int32Array(paddings) });
  c.op("PAD", [x.index, constant], y.index, { kind: "PadOptions" }, 2);
  return y;
};

const concatenation: Step = (c, x) => {
  const axis = c.rng.int(0, x.shape.length - 1);
  const other = c.rng.bool(0.3) ? x : c.graphInput(x.shape.map((d, i) => (i === axis ? c.rng.int(1, 3) : d)), sameQuant(x));
  const y = c.activation(x.shape.map((d, i) => (i === axis ? d + other.shape[i] : d)), sameQuant(x));
  const storedAxis = c.rng.bool(0.2) ? axis - x.shape.length : axis;
  c.op("CONCATENATION", [x.index, other.index], y.index, { kind: "ConcatenationOptions", axis: storedAxis, fusedActivation: "NONE" }, 2);
  return y;
};

const reshape: Step = (c, x) => {
  const count = x.shape.reduce((a, b) => a * b, 1);
  const shape = c.rng.pick([[1, count], [count], [1, 1, 1, count]]);
  const y = c.activation(shape, sameQuant(x));
  const constant = c.tensor({ type: "int32", shape: [shape.length], data: new Int32Array(shape) });
  c.op("RESHAPE", [x.index, constant], y.index, { kind: "ReshapeOptions", newShape: shape }, 1);
  return y;
};

const fullyConnected: Step = (c, x) => {
  const depth = x.shape[x.shape.length - 1];
  const batches = x.shape.reduce((a, b) => a * b, 1) / depth;
  const outC = randomChannels(c.rng);
  const w = c.weights([outC, depth], 0);
  const y = c.activation([batches, outC]);
  c.op("FULLY_CONNECTED", [x.index, c.tensor(weight(w)), c.bias(x, w, outC)], y.index, {
    kind: "FullyConnectedOptions", fusedActivation: pickActivation(c.rng), weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false,
  }, 4);
  return y;
};

const softmax: Step = (c, x) => {
  const y = c.activation(x.shape, { scale: 1 / 256, zeroPoint: c.dtype === "int8" ? -128 : 0 });
  c.op("SOFTMAX", [x.index], y.index, { kind: "SoftmaxOptions", beta: c.rng.pick([1, 1, 0.5, 2]) }, 2);
  return y;
};

const requantize: Step = (c, x) => {
  const y = c.activation(x.shape);
  c.op("QUANTIZE", [x.index], y.index, { kind: "QuantizeOptions" }, 2);
  return y;
};

const SPATIAL: Step[] = [conv, conv, depthwise, depthwise, pool, mean, pad, add, add, concatenation, reshape, fullyConnected, softmax, requantize];
const FLAT: Step[] = [add, concatenation, fullyConnected, fullyConnected, softmax, requantize, pad, reshape];

export interface Chain {
  def: ModelDef;
  /** The operators in order, e.g. "CONV_2D>ADD>MEAN". */
  name: string;
}

/** A random valid chain model (1 to 7 operators). */
export function randomChain(rng: Rng): Chain {
  const c = new ChainBuilder(rng, rng.bool(0.7) ? "int8" : "uint8");
  const spatial = rng.bool(0.8);
  const batches = rng.bool(0.8) ? 1 : 2;
  const shape = spatial ? [batches, rng.int(1, 8), rng.int(1, 8), randomChannels(rng, 17)] : [batches, rng.int(1, 40)];
  let x: Activation;
  if (rng.bool(0.2)) {
    const input = c.tensor({ type: "float32", shape });
    c.inputs.push(input);
    x = c.activation(shape);
    c.op("QUANTIZE", [input], x.index, { kind: "QuantizeOptions" }, 2);
  } else {
    x = c.graphInput(shape);
  }
  const outputs: number[] = [];
  for (let n = rng.int(1, 6); n > 0; n--) {
    x = rng.pick(x.shape.length === 4 ? SPATIAL : FLAT)(c, x);
    if (rng.bool(0.05)) outputs.push(x.index);
  }
  if (rng.bool(0.2)) {
    const output = c.tensor({ type: "float32", shape: x.shape });
    c.op("DEQUANTIZE", [x.index], output, { kind: "DequantizeOptions" }, 2);
    outputs.push(output);
  } else {
    outputs.push(x.index);
  }
  return { def: buildModel({ tensors: c.tensors, ops: c.ops, inputs: c.inputs, outputs }), name: c.names.join(">") };
}
