// float32 models: every operator on random single-op models (shapes, strides, paddings,
// dilations, depth multipliers, fused activations, channel counts that are not multiples of the
// vector widths) against the float64 reference (test/reference/float.ts), within 1e-5 of the
// tensor's largest magnitude (max|a − b| / max|b|); the v128 kernels against their scalar
// references bit for bit (they add in the same order), and neither writing a byte outside its
// output; a float chain of several operators; and the errors a float model can meet.
//
// QUANTLITE_FLOAT_CASES scales the number of cases (default 1); QUANTLITE_FLOAT_SEED changes
// the base seed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildGraph } from "../js/graph/graph.js";
import { Model, ModelError } from "../js/index.js";
import { OPS, opSupport } from "../js/ops/registry.js";
import { BuiltinOp } from "../js/tflite/builtin-ops.js";
import { readModel } from "../js/tflite/read.js";
import { writeModel } from "../js/tflite/write.js";
import type { FusedActivation, Padding } from "../js/tflite/types.js";
import { Lab } from "./kernel-cases.js";
import * as mb from "./model-builder.js";
import { AWKWARD_CHANNELS, Rng, pickActivation, randomChannels } from "./random.js";
import * as fref from "./reference/float.js";

const FACTOR = Number(process.env.QUANTLITE_FLOAT_CASES ?? "1");
const SEED = Number(process.env.QUANTLITE_FLOAT_SEED ?? "4242");
const TOLERANCE = 1e-5;
const GUARD = 64;

function cases(n: number): number {
  return Math.max(1, Math.round(n * FACTOR));
}

function rngFor(name: string): Rng {
  let h = SEED >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return new Rng(h);
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A spread for inputs: up to 10, but at most 1 ahead of RELU6 and RELU_N1_TO_1, whose clamps
 * would otherwise shrink the output tensor far below the sums' magnitude, where float32 sums are
 * only accurate relative to the latter.
 */
function inputSpread(r: Rng, activation: FusedActivation): number {
  return r.logUniform(0.1, activation === "RELU6" || activation === "RELU_N1_TO_1" ? 1 : 10);
}

/** Normal values times `scale`; a share of exact zeros (as after RELU) when asked. */
function floats(rng: Rng, n: number, scale = 1, zeros = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.bool(zeros) ? 0 : rng.normal() * scale;
  return out;
}

function brief(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) ? `<${(v as Float32Array).length}>` : v));
}

const float = (shape: number[], data?: Float32Array | Int32Array, name?: string): mb.TensorSpec => ({
  name, type: data instanceof Int32Array ? "int32" : "float32", shape, data,
});

/**
 * Runs a single-op model's op outside Model: prepared by the op's own prepare, each activation
 * tensor in its own allocation between two guards of 0x5a bytes (the inputs' guards stay as they
 * are: the v128 kernels may read a little past their inputs, never write). Returns the output, or a
 * message naming the first guard byte the kernel changed.
 */
async function runGuarded(bytes: Uint8Array, inputs: Float32Array[], kernelSet: "simd" | "scalar"): Promise<Float32Array | string> {
  const graph = buildGraph(readModel(bytes), opSupport);
  const op = graph.ops[0];
  const lab = await Lab.create();
  const addresses = new Map<number, number>();
  for (const t of [...graph.inputs, ...op.outputs]) addresses.set(t.index, lab.output(t.byteSize + 2 * GUARD, 0) + GUARD);
  graph.inputs.forEach((t, k) => lab.memory.bytes.set(new Uint8Array(inputs[k].buffer, inputs[k].byteOffset, inputs[k].byteLength), addresses.get(t.index)!));
  const step = OPS.get(op.type)!.prepare({ op, kernels: lab.kernels, kernelSet, memory: lab.memory, address: (t) => addresses.get(t.index)! });
  step();
  const y = op.outputs[0];
  const at = addresses.get(y.index)!;
  const memory = lab.memory.bytes;
  for (let i = 0; i < GUARD; i++) {
    if (memory[at - GUARD + i] !== 0x5a) return `byte ${GUARD - i} before the output was written`;
    if (memory[at + y.byteSize + i] !== 0x5a) return `byte ${i} after the output was written`;
  }
  return new Float32Array(memory.slice(at, at + y.byteSize).buffer);
}

/**
 * Loads the model with the v128 and with the scalar kernels, runs both on `inputs`, and checks:
 * the output shape, the two outputs bit for bit, nothing written outside the output (single-op
 * models), and the error against the float64 reference.
 */
async function check(label: string, params: unknown, bytes: Uint8Array, inputs: Float32Array[], expected: fref.F64Tensor, exact = false): Promise<number> {
  const where = `${label} ${brief(params)}`;
  const outputs: Float32Array[] = [];
  for (const kernels of ["simd", "scalar"] as const) {
    let model: Model;
    try {
      model = await Model.load(bytes, { kernels });
    } catch (e) {
      assert.unreachable(`${where}: Model.load (${kernels}) failed: ${(e as Error).message}`);
      return 0;
    }
    assert.equal(model.outputs[0].shape, expected.shape, `${where}: output shape`);
    assert.is(model.outputs[0].dtype, "float32");
    const out = model.runAll(inputs)[0];
    assert.ok(out instanceof Float32Array, `${where}: output is a Float32Array`);
    outputs.push(out as Float32Array);
    model.dispose();
  }
  const [simd, scalar] = outputs;
  if (readModel(bytes).subgraphs[0].operators.length === 1) {
    for (const [kernels, want] of [["simd", simd], ["scalar", scalar]] as const) {
      const got = await runGuarded(bytes, inputs, kernels);
      if (typeof got === "string") assert.unreachable(`${where}: ${kernels}: ${got}`);
      else assert.equal(new Uint32Array(got.buffer), new Uint32Array(want.buffer, want.byteOffset, want.length), `${where}: ${kernels} outside Model`);
    }
  }
  const simdBits = new Uint32Array(simd.buffer, simd.byteOffset, simd.length);
  const scalarBits = new Uint32Array(scalar.buffer, scalar.byteOffset, scalar.length);
  const differ = simdBits.findIndex((b, i) => b !== scalarBits[i]);
  if (differ >= 0) assert.unreachable(`${where}: v128 and scalar differ at ${differ}: ${simd[differ]} vs ${scalar[differ]}`);
  const error = fref.maxNormalisedError(simd, expected.data);
  if (exact ? error !== 0 : !(error <= TOLERANCE)) {
    let worst = 0;
    for (let i = 0; i < simd.length; i++) if (Math.abs(simd[i] - expected.data[i]) > Math.abs(simd[worst] - expected.data[worst])) worst = i;
    assert.unreachable(`${where}: error ${error.toExponential(3)} (bound ${exact ? 0 : TOLERANCE}); worst at ${worst}: ${simd[worst]} vs ${expected.data[worst]}`);
  }
  return error;
}

/**
 * Whether a dot-product op's output is far (64×) smaller than the terms its sums add up (most
 * outputs clamped to 0 and the rest small, or heavy cancellation). No float32 summation is
 * accurate to 1e-5 of such a tensor's largest value, so those cases (about 1 in 4,000) are
 * drawn again; below 64× the error stays under 3e-6.
 */
function illConditioned(t: fref.F64Tensor): boolean {
  const largest = fref.maxAbs(t.data);
  return t.terms !== undefined && largest > 0 && t.terms > 64 * largest;
}

/** Largest error seen per test, printed at the end of each. */
function tracker(name: string) {
  let worst = 0;
  return {
    see: (e: number) => { worst = Math.max(worst, e); },
    report: () => console.log(`  ${name}: largest max-normalised error ${worst.toExponential(2)}`),
  };
}

// ---------------------------------------------------------------------------------------
// CONV_2D / DEPTHWISE_CONV_2D

function kernelSize(rng: Rng): number {
  return rng.pick([1, 1, 2, 3, 3, 3, 4, 5]);
}

function convCase(r: Rng, depthwise: boolean) {
  const batch = r.bool(0.15) ? 2 : 1;
  const inC = randomChannels(r, depthwise ? 33 : 40);
  const depthMultiplier = depthwise ? (r.bool(0.7) ? 1 : r.int(2, 3)) : 1;
  const outC = depthwise ? inC * depthMultiplier : r.pick([...AWKWARD_CHANNELS, 40, 64]);
  let kH = kernelSize(r);
  let kW = r.bool(0.7) ? kH : kernelSize(r);
  const strideH = r.pick([1, 1, 1, 2, 2, 3]);
  const strideW = r.bool(0.8) ? strideH : r.pick([1, 2, 3]);
  const dilationH = r.bool(0.15) ? 2 : 1;
  const dilationW = r.bool(0.8) ? dilationH : r.pick([1, 2]);
  const inH = r.int(1, 14);
  const inW = r.int(1, 14);
  let padding: Padding = r.bool(0.5) ? "SAME" : "VALID";
  if ((kH - 1) * dilationH + 1 > inH || (kW - 1) * dilationW + 1 > inW) {
    if (r.bool(0.5)) padding = "SAME";
    else {
      kH = Math.min(kH, Math.floor((inH - 1) / dilationH) + 1);
      kW = Math.min(kW, Math.floor((inW - 1) / dilationW) + 1);
    }
  }
  const activation = pickActivation(r);
  const inShape = [batch, inH, inW, inC];
  const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, inC];
  const depth = depthwise ? kH * kW : kH * kW * inC;
  const input = floats(r, product(inShape), inputSpread(r, activation), r.pick([0, 0, 0.5]));
  const filter = floats(r, product(filterShape), 1 / Math.sqrt(depth));
  const bias = r.bool(0.85) ? floats(r, outC, r.logUniform(0.01, 2)) : null;
  const opts = { padding, strideH, strideW, dilationH, dilationW, activation };
  const expected = (depthwise ? fref.depthwiseConv2d : fref.conv2d)(input, inShape, filter, filterShape, bias, opts);
  const options = depthwise
    ? { kind: "DepthwiseConv2DOptions" as const, padding, strideH, strideW, depthMultiplier, dilationHFactor: dilationH, dilationWFactor: dilationW, fusedActivation: activation }
    : { kind: "Conv2DOptions" as const, padding, strideH, strideW, dilationHFactor: dilationH, dilationWFactor: dilationW, fusedActivation: activation };
  const bytes = mb.singleOpModel({
    builtinCode: depthwise ? BuiltinOp.DEPTHWISE_CONV_2D : BuiltinOp.CONV_2D,
    inputs: [float(inShape), float(filterShape, filter, "filter"), bias ? float([outC], bias, "bias") : null],
    outputs: [float(expected.shape)],
    options,
    version: depthwise && (dilationH > 1 || dilationW > 1) ? 2 : 1,
  });
  return { params: { inShape, filterShape, ...opts, depthMultiplier, bias: bias !== null }, bytes, input, expected };
}

for (const depthwise of [false, true]) {
  const name = depthwise ? "DEPTHWISE_CONV_2D float32" : "CONV_2D float32";
  test(name, async () => {
    const rng = rngFor(name);
    const worst = tracker(name);
    for (let i = 0; i < cases(120); i++) {
      let seed: number;
      let c: ReturnType<typeof convCase>;
      do {
        seed = rng.u32();
        c = convCase(new Rng(seed), depthwise);
      } while (illConditioned(c.expected));
      worst.see(await check(`${name} case ${i}`, { seed, ...c.params }, c.bytes, [c.input], c.expected));
    }
    worst.report();
  });
}

// ---------------------------------------------------------------------------------------
// FULLY_CONNECTED

function fullyConnectedCase(rng: Rng) {
  const seed = rng.u32();
  const r = new Rng(seed);
  const depth = r.pick([1, 2, 3, 7, 8, 16, 17, 33, 64, 100, 257, 1280]);
  const units = r.pick([...AWKWARD_CHANNELS, 64, 100]);
  const batches = r.int(1, 6);
  const fourD = r.bool(0.25);
  const keepNumDims = fourD && r.bool(0.5);
  const inShape = fourD ? [1, 1, batches, depth] : [batches, depth];
  const activation = pickActivation(r);
  const input = floats(r, product(inShape), inputSpread(r, activation), r.pick([0, 0.5]));
  const filter = floats(r, units * depth, 1 / Math.sqrt(depth));
  const bias = r.bool(0.85) ? floats(r, units, 0.5) : null;
  const expected = fref.fullyConnected(input, filter, [units, depth], bias, activation);
  const outShape = keepNumDims ? [...inShape.slice(0, -1), units] : expected.shape;
  const bytes = mb.singleOpModel({
    builtinCode: BuiltinOp.FULLY_CONNECTED,
    inputs: [float(inShape), float([units, depth], filter, "filter"), bias ? float([units], bias, "bias") : null],
    outputs: [float(outShape)],
    options: { kind: "FullyConnectedOptions", fusedActivation: activation, weightsFormat: 0, keepNumDims, asymmetricQuantizeInputs: false },
    version: keepNumDims ? 5 : 1,
  });
  const params = { seed, inShape, units, activation, keepNumDims, bias: bias !== null };
  return { params, bytes, input, expected: { ...expected, shape: outShape } };
}

test("FULLY_CONNECTED float32", async () => {
  const rng = rngFor("FULLY_CONNECTED");
  const worst = tracker("FULLY_CONNECTED float32");
  for (let i = 0; i < cases(80); i++) {
    let c: ReturnType<typeof fullyConnectedCase>;
    do c = fullyConnectedCase(rng); while (illConditioned(c.expected));
    worst.see(await check(`FULLY_CONNECTED case ${i}`, c.params, c.bytes, [c.input], c.expected));
  }
  worst.report();
});

// ---------------------------------------------------------------------------------------
// ADD

test("ADD float32 (same shape and broadcasting)", async () => {
  const rng = rngFor("ADD");
  const worst = tracker("ADD float32");
  for (let i = 0; i < cases(80); i++) {
    const seed = rng.u32();
    const r = new Rng(seed);
    const outShape = [r.int(1, 2), r.int(1, 9), r.int(1, 9), randomChannels(r)];
    let aShape = [...outShape];
    let bShape = [...outShape];
    const mode = r.pick(["same", "same", "broadcast", "broadcast", "lower-rank"]);
    if (mode === "broadcast") {
      aShape = outShape.map((d) => (r.bool(0.3) ? 1 : d));
      bShape = outShape.map((d, k) => (aShape[k] !== 1 && r.bool(0.5) ? 1 : d));
    } else if (mode === "lower-rank") {
      bShape = outShape.slice(r.int(1, 3)).map((d) => (r.bool(0.2) ? 1 : d));
    }
    if (r.bool(0.5)) [aShape, bShape] = [bShape, aShape];
    const activation = pickActivation(r);
    const a = floats(r, product(aShape), r.logUniform(0.1, 5));
    const b = floats(r, product(bShape), r.logUniform(0.1, 5));
    const expected = fref.add(a, aShape, b, bShape, activation);
    const bytes = mb.singleOpModel({
      builtinCode: BuiltinOp.ADD,
      inputs: [float(aShape), float(bShape)],
      outputs: [float(expected.shape)],
      options: { kind: "AddOptions", fusedActivation: activation, potScaleInt16: true },
    });
    worst.see(await check(`ADD case ${i}`, { seed, aShape, bShape, activation }, bytes, [a, b], expected));
  }
  worst.report();
});

// ---------------------------------------------------------------------------------------
// MEAN

test("MEAN float32 (spatial axes, keep_dims)", async () => {
  const rng = rngFor("MEAN");
  const worst = tracker("MEAN float32");
  for (let i = 0; i < cases(60); i++) {
    const seed = rng.u32();
    const r = new Rng(seed);
    const inShape = [r.int(1, 2), r.int(1, 14), r.int(1, 14), r.pick([...AWKWARD_CHANNELS, 40, 64])];
    const axes = r.bool(0.85) ? [1, 2] : r.pick([[2, 1], [-3, -2]]);
    const keepDims = r.bool(0.5);
    const input = floats(r, product(inShape), r.logUniform(0.1, 10), r.pick([0, 0.5]));
    const expected = fref.mean(input, inShape, keepDims);
    const bytes = mb.singleOpModel({
      builtinCode: BuiltinOp.MEAN,
      inputs: [float(inShape), float([axes.length], new Int32Array(axes), "axis")],
      outputs: [float(expected.shape)],
      options: { kind: "ReducerOptions", keepDims },
    });
    worst.see(await check(`MEAN case ${i}`, { seed, inShape, axes, keepDims }, bytes, [input], expected));
  }
  worst.report();
});

// ---------------------------------------------------------------------------------------
// AVERAGE_POOL_2D / MAX_POOL_2D

for (const kind of ["avg", "max"] as const) {
  const op = kind === "avg" ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
  test(`${op} float32`, async () => {
    const rng = rngFor(op);
    const worst = tracker(`${op} float32`);
    for (let i = 0; i < cases(60); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const inShape = [r.int(1, 2), r.int(1, 13), r.int(1, 13), randomChannels(r)];
      let filterH = r.int(1, 4);
      let filterW = r.bool(0.7) ? filterH : r.int(1, 4);
      const strideH = r.int(1, 3);
      const strideW = r.bool(0.8) ? strideH : r.int(1, 3);
      const padding: Padding = r.bool(0.5) ? "SAME" : "VALID";
      if (padding === "VALID") {
        filterH = Math.min(filterH, inShape[1]);
        filterW = Math.min(filterW, inShape[2]);
      }
      if (r.bool(0.1)) [filterH, filterW] = [inShape[1], inShape[2]];
      const activation = pickActivation(r);
      const input = floats(r, product(inShape), r.logUniform(0.1, 10));
      const opts = { padding, strideH, strideW, filterH, filterW, activation };
      const expected = fref.pool2d(kind, input, inShape, opts);
      const bytes = mb.singleOpModel({
        builtinCode: kind === "avg" ? BuiltinOp.AVERAGE_POOL_2D : BuiltinOp.MAX_POOL_2D,
        inputs: [float(inShape)],
        outputs: [float(expected.shape)],
        options: { kind: "Pool2DOptions", padding, strideH, strideW, filterHeight: filterH, filterWidth: filterW, fusedActivation: activation },
      });
      worst.see(await check(`${op} case ${i}`, { seed, inShape, ...opts }, bytes, [input], expected, kind === "max"));
    }
    worst.report();
  });
}

// ---------------------------------------------------------------------------------------
// SOFTMAX

test("SOFTMAX float32 (beta)", async () => {
  const rng = rngFor("SOFTMAX");
  const worst = tracker("SOFTMAX float32");
  for (let i = 0; i < cases(60); i++) {
    const seed = rng.u32();
    const r = new Rng(seed);
    const depth = r.pick([1, 2, 3, 4, 5, 10, 16, 17, 33, 100, 1001]);
    const shape = r.bool(0.7) ? [r.int(1, 4), depth] : [1, r.int(1, 3), r.int(1, 3), depth];
    const beta = r.bool(0.6) ? 1 : Math.fround(r.logUniform(0.05, 5));
    // Spreads from nearly flat rows to rows where most exps underflow.
    const input = floats(r, product(shape), r.logUniform(0.01, 40));
    if (r.bool(0.2)) input[r.int(0, input.length - 1)] = 200;
    const expected = fref.softmax(input, shape, beta);
    const bytes = mb.singleOpModel({
      builtinCode: BuiltinOp.SOFTMAX,
      inputs: [float(shape)],
      outputs: [float(shape)],
      options: { kind: "SoftmaxOptions", beta },
    });
    worst.see(await check(`SOFTMAX case ${i}`, { seed, shape, beta }, bytes, [input], expected));
  }
  worst.report();
});

// ---------------------------------------------------------------------------------------
// PAD / CONCATENATION / RESHAPE: byte moves, exact

test("PAD, CONCATENATION and RESHAPE float32 (exact)", async () => {
  const rng = rngFor("moves");
  for (let i = 0; i < cases(30); i++) {
    const seed = rng.u32();
    const r = new Rng(seed);
    const rank = r.pick([4, 4, 3, 2]);
    const shape = [r.int(1, 2), r.int(1, 6), r.int(1, 6), randomChannels(r, 17)].slice(4 - rank);
    const input = floats(r, product(shape));

    const paddings = shape.map(() => [r.int(0, 2), r.int(0, 3)] as [number, number]);
    const padded = fref.pad(input, shape, paddings);
    const padBytes = mb.singleOpModel({
      builtinCode: BuiltinOp.PAD,
      inputs: [float(shape), float([rank, 2], new Int32Array(paddings.flat()), "paddings")],
      outputs: [float(padded.shape)],
      options: { kind: "PadOptions" },
    });
    await check(`PAD case ${i}`, { seed, shape, paddings }, padBytes, [input], padded, true);

    const axis = r.int(-rank, rank - 1);
    const pieces = [{ data: input, shape }];
    for (let k = r.int(1, 2); k > 0; k--) {
      const s = [...shape];
      s[axis < 0 ? axis + rank : axis] = r.int(1, 5);
      pieces.push({ data: floats(r, product(s)), shape: s });
    }
    const joined = fref.concatenation(pieces, axis);
    const concatBytes = mb.singleOpModel({
      builtinCode: BuiltinOp.CONCATENATION,
      inputs: pieces.map((p) => float(p.shape)),
      outputs: [float(joined.shape)],
      options: { kind: "ConcatenationOptions", axis, fusedActivation: "NONE" },
    });
    await check(`CONCATENATION case ${i}`, { seed, shapes: pieces.map((p) => p.shape), axis }, concatBytes, pieces.map((p) => p.data), joined, true);

    const n = product(shape);
    const newShape = r.pick([[n], [1, n], [n, 1, 1]]);
    const reshapeBytes = mb.singleOpModel({
      builtinCode: BuiltinOp.RESHAPE,
      inputs: [float(shape), float([newShape.length], new Int32Array(newShape), "shape")],
      outputs: [float(newShape)],
      options: { kind: "ReshapeOptions", newShape },
    });
    await check(`RESHAPE case ${i}`, { seed, shape, newShape }, reshapeBytes, [input], { data: Float64Array.from(input), shape: newShape }, true);
  }
});

// ---------------------------------------------------------------------------------------
// A chain: CONV_2D → DEPTHWISE_CONV_2D → CONV_2D → ADD (residual) → MEAN → FULLY_CONNECTED → SOFTMAX

test("a float32 chain of operators equals the float64 reference", async () => {
  const rng = rngFor("chain");
  for (let i = 0; i < cases(8); i++) {
    const seed = rng.u32();
    const r = new Rng(seed);
    const [h, w, c0] = [r.int(3, 16), r.int(3, 16), r.pick([1, 3, 4])];
    const c1 = r.pick([8, 12, 16, 24, 17]);
    const units = r.pick([5, 10, 33]);
    const act = () => r.pick(["RELU6", "RELU", "NONE"] as const);
    const [a1, a2] = [act(), act()];
    const inShape = [1, h, w, c0];
    const x = floats(r, product(inShape));
    const w1 = floats(r, c1 * 9 * c0, 1 / Math.sqrt(9 * c0));
    const b1 = floats(r, c1, 0.1);
    const w2 = floats(r, 9 * c1, 1 / 3);
    const b2 = floats(r, c1, 0.1);
    const w3 = floats(r, c1 * c1, 1 / Math.sqrt(c1));
    const b3 = floats(r, c1, 0.1);
    const wf = floats(r, units * c1, 1 / Math.sqrt(c1));
    const bf = floats(r, units, 0.1);
    const conv = { padding: "SAME" as const, strideH: 1, strideW: 1 };
    const t1 = fref.conv2d(x, inShape, w1, [c1, 3, 3, c0], b1, { ...conv, activation: a1 });
    const t2 = fref.depthwiseConv2d(t1.data, t1.shape, w2, [1, 3, 3, c1], b2, { ...conv, activation: a2 });
    const t3 = fref.conv2d(t2.data, t2.shape, w3, [c1, 1, 1, c1], b3, conv);
    const t4 = fref.add(t3.data, t3.shape, t1.data, t1.shape);
    const t5 = fref.mean(t4.data, t4.shape, false);
    const t6 = fref.fullyConnected(t5.data, wf, [units, c1], bf);
    const t7 = fref.softmax(t6.data, t6.shape, 1);
    const act4 = [1, h, w, c1];
    const spec: mb.GraphModelSpec = {
      tensors: [
        float(inShape, undefined, "x"), float([c1, 3, 3, c0], w1), float([c1], b1), float(act4, undefined, "t1"),
        float([1, 3, 3, c1], w2), float([c1], b2), float(act4, undefined, "t2"),
        float([c1, 1, 1, c1], w3), float([c1], b3), float(act4, undefined, "t3"), float(act4, undefined, "t4"),
        float([2], new Int32Array([1, 2])), float([1, c1], undefined, "t5"),
        float([units, c1], wf), float([units], bf), float([1, units], undefined, "t6"), float([1, units], undefined, "y"),
      ],
      ops: [
        { builtinCode: BuiltinOp.CONV_2D, inputs: [0, 1, 2], outputs: [3], options: { kind: "Conv2DOptions", ...conv, dilationHFactor: 1, dilationWFactor: 1, fusedActivation: a1 } },
        { builtinCode: BuiltinOp.DEPTHWISE_CONV_2D, inputs: [3, 4, 5], outputs: [6], options: { kind: "DepthwiseConv2DOptions", ...conv, depthMultiplier: 1, dilationHFactor: 1, dilationWFactor: 1, fusedActivation: a2 } },
        { builtinCode: BuiltinOp.CONV_2D, inputs: [6, 7, 8], outputs: [9], options: { kind: "Conv2DOptions", ...conv, dilationHFactor: 1, dilationWFactor: 1, fusedActivation: "NONE" } },
        { builtinCode: BuiltinOp.ADD, inputs: [9, 3], outputs: [10], options: { kind: "AddOptions", fusedActivation: "NONE", potScaleInt16: true } },
        { builtinCode: BuiltinOp.MEAN, inputs: [10, 11], outputs: [12], options: { kind: "ReducerOptions", keepDims: false } },
        { builtinCode: BuiltinOp.FULLY_CONNECTED, inputs: [12, 13, 14], outputs: [15], options: { kind: "FullyConnectedOptions", fusedActivation: "NONE", weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false } },
        { builtinCode: BuiltinOp.SOFTMAX, inputs: [15], outputs: [16], options: { kind: "SoftmaxOptions", beta: 1 } },
      ],
      inputs: [0],
      outputs: [16],
    };
    await check(`chain case ${i}`, { seed, h, w, c0, c1, units, a1, a2 }, writeModel(mb.buildModel(spec)), [x], t7);
  }
});

// ---------------------------------------------------------------------------------------
// Errors

test("float32 models: hybrid convolutions without bias, unsupported activations and mixed types are ModelErrors", async () => {
  const conv = (filterType: "float32" | "int8", activation: FusedActivation, outType: "float32" | "int8" = "float32") => mb.singleOpModel({
    builtinCode: BuiltinOp.CONV_2D,
    inputs: [
      float([1, 4, 4, 2]),
      filterType === "float32" ? float([3, 1, 1, 2], new Float32Array(6), "filter") : { name: "filter", type: "int8", shape: [3, 1, 1, 2], scale: 0.1, data: new Int8Array(6) },
      null,
    ],
    outputs: [outType === "float32" ? float([1, 4, 4, 3]) : { type: "int8", shape: [1, 4, 4, 3], scale: 0.1, zeroPoint: 0 }],
    options: { kind: "Conv2DOptions", padding: "SAME", strideH: 1, strideW: 1, dilationHFactor: 1, dilationWFactor: 1, fusedActivation: activation },
  });
  const loadError = async (bytes: Uint8Array) => {
    try {
      await Model.load(bytes);
    } catch (e) {
      assert.instance(e, ModelError);
      return (e as Error).message;
    }
    assert.unreachable("the model loaded");
    return "";
  };
  // A hybrid (dynamic-range) convolution loads with its bias (js/ops/hybrid.ts); without, TFLite refuses it too.
  assert.match(await loadError(conv("int8", "NONE")), /operator 0.*CONV_2D.*a hybrid convolution needs its bias/);
  assert.match(await loadError(conv("float32", "TANH")), /CONV_2D.*fused activation TANH is not supported/);
  assert.match(await loadError(conv("float32", "NONE", "int8")), /CONV_2D.*output "output_0" is int8; expected float32/);
  await (await Model.load(conv("float32", "RELU"))).dispose();
});

test.run();
