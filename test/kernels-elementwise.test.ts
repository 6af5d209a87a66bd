// The binary elementwise ops' kernels and framework: MUL's v128 kernel against its scalar
// reference, ADD's kernels with input 2's multiplier negated (SUB), broadcasting of any rank
// merged to 4 runs, and int32 arithmetic on constants folded at load.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model } from "../js/index.js";
import * as add from "../js/ops/add.js";
import { floatBits, storeParams } from "../js/ops/context.js";
import { BINARY_FIELDS, BINARY_Q8_FIELDS, BinaryOp, broadcastLayout } from "../js/ops/elementwise.js";
import type { GraphOp, GraphTensor } from "../js/graph/graph.js";
import { BUILTIN_OP_NAMES } from "../js/tflite/builtin-ops.js";
import { writeModel } from "../js/tflite/write.js";
import { Lab } from "./kernel-cases.js";
import { type OpSpec, type TensorSpec, buildModel } from "./model-builder.js";
import { AWKWARD_CHANNELS, Rng } from "./random.js";

const GUARD = 32;

function tensor(shape: number[]): GraphTensor {
  const elementCount = shape.reduce((a, b) => a * b, 1);
  return { index: 0, name: "t", dtype: "int8", shape, elementCount, byteSize: elementCount, scale: [1], zeroPoint: [0], quantizedDimension: 0, data: null };
}

const OP = { index: 0, type: "MUL", builtinCode: 18, version: 1, inputs: [], outputs: [], options: null } as GraphOp;

/** Both kernels on one parameter set (with `output` filled in), compared byte for byte including a guard after the output. */
function compare(lab: Lab, simd: string, ref: string, fields: readonly string[], values: Record<string, number>, outputBytes: number, what: () => string): void {
  const run = (name: string) => {
    const out = lab.output(outputBytes, GUARD);
    (lab.kernels as unknown as Record<string, (p: number) => void>)[name](storeParams(lab.memory, fields, { ...values, output: out }));
    return lab.read(out, outputBytes + GUARD);
  };
  const want = run(ref);
  const got = run(simd);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) assert.unreachable(`${simd}: byte ${i} of ${outputBytes}: v128 ${got[i]}, reference ${want[i]}; ${what()}`);
  }
}

/** Random broadcasting shapes of rank 1–4 with awkward innermost sizes, their layout and inputs. */
function randomLayout(rng: Rng, lab: Lab) {
  const rank = rng.int(1, 4);
  const out = Array.from({ length: rank }, (_, i) => (i === rank - 1 ? rng.pick([...AWKWARD_CHANNELS, 40, 100, 333]) : rng.int(1, 5)));
  const shapeOf = () => (rng.bool(0.4) ? [...out] : out.map((d) => (rng.bool(0.4) ? 1 : d)));
  const a = tensor(shapeOf());
  const b = tensor(rng.bool(0.2) ? [] : shapeOf());
  const y = tensor(out.map((d, i) => (a.shape[i] === 1 && (b.shape[i - rank + b.shape.length] ?? 1) === 1 ? 1 : d)));
  const layout = broadcastLayout(OP, a, b, y);
  return {
    layout: { ...layout, input1: lab.store(rng.int8Array(a.elementCount)), input2: lab.store(rng.int8Array(b.elementCount)) },
    outputBytes: y.elementCount,
    shapes: `[${a.shape}] [${b.shape}]`,
  };
}

test("mul: v128 = reference on random broadcasting shapes and multipliers (both shift signs)", async () => {
  const rng = new Rng(0x6d756c);
  const lab = await Lab.create();
  for (let n = 0; n < 300; n++) {
    const { layout, outputBytes, shapes } = randomLayout(rng, lab);
    const values = {
      ...layout, op: BinaryOp.Mul,
      input1Offset: rng.pick([-128, 128, rng.int(-128, 128)]), input1Multiplier: 0, input1Shift: 0,
      input2Offset: rng.pick([-128, 128, rng.int(-128, 128)]), input2Multiplier: 0, input2Shift: 0, leftShift: 0,
      outputMultiplier: rng.pick([2 ** 30, 2 ** 31 - 1, rng.int(2 ** 30, 2 ** 31 - 1)]),
      outputShift: rng.pick([rng.int(-31, 0), rng.int(-16, -4), rng.int(0, 16)]),
      outputOffset: rng.int(-128, 127), activationMin: rng.pick([-128, rng.int(-128, 0)]), activationMax: rng.pick([127, rng.int(1, 127)]), table: 0,
    };
    compare(lab, "mul", "mul_ref", BINARY_Q8_FIELDS, values, outputBytes, () => `case ${n} ${shapes} ${JSON.stringify({ ...values, input1: 0, input2: 0 })}`);
  }
});

test("binary_f32: v128 = reference for every operation and activation bounds, with NaN, ±∞ and -0 among the inputs", async () => {
  const rng = new Rng(0x663332);
  const lab = await Lab.create();
  const specials = [NaN, Infinity, -Infinity, -0, 0, 1e-40, 3.4e38];
  const floats = (n: number) => {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.bool(0.05) ? rng.pick(specials) : rng.float() * 8 - 4;
    return v;
  };
  for (let n = 0; n < 300; n++) {
    const { layout, outputBytes, shapes } = randomLayout(rng, lab);
    // float32 inputs as large as the output (no input has more elements) replace randomLayout's int8 ones.
    const values = {
      ...layout, input1: lab.store(floats(outputBytes)), input2: lab.store(floats(outputBytes)),
      op: rng.pick(Object.values(BinaryOp)),
      activationMin: floatBits(rng.pick([-Infinity, -3.4028234663852886e38, 0, -1])), activationMax: floatBits(rng.pick([Infinity, 3.4028234663852886e38, 6, 1])),
    };
    compare(lab, "binary_f32", "binary_f32_ref", BINARY_FIELDS, values, outputBytes * 4, () => `case ${n} ${shapes} op ${values.op}`);
  }
});

test("add kernels with input 2's multiplier negated (SUB): v128 = reference", async () => {
  const rng = new Rng(0x737562);
  const lab = await Lab.create();
  for (let n = 0; n < 200; n++) {
    const { layout, outputBytes, shapes } = randomLayout(rng, lab);
    const values = {
      ...layout,
      input1Offset: rng.int(-128, 128), input1Multiplier: rng.pick([2 ** 30, rng.int(2 ** 30, 2 ** 31 - 1)]), input1Shift: rng.int(-12, 0),
      input2Offset: rng.int(-128, 128), input2Multiplier: -rng.pick([2 ** 30, rng.int(2 ** 30, 2 ** 31 - 1)]), input2Shift: rng.int(-12, 0),
      leftShift: 20, outputMultiplier: rng.int(2 ** 30, 2 ** 31 - 1), outputShift: rng.int(-24, 0),
      outputOffset: rng.int(-128, 127), activationMin: rng.pick([-128, rng.int(-128, 0)]), activationMax: rng.pick([127, rng.int(1, 127)]),
    };
    compare(lab, "add", "add_ref", add.FIELDS, values, outputBytes, () => `case ${n} ${shapes}`);
  }
});

test("broadcastLayout: ranks above 4 merge into at most 4 runs; scalars and size-1 dimensions drop out", () => {
  const layout = (a: number[], b: number[], y: number[]) => broadcastLayout(OP, tensor(a), tensor(b), tensor(y));
  const l6 = layout([2, 3, 1, 1, 5, 7], [1, 1, 4, 6, 5, 7], [2, 3, 4, 6, 5, 7]);
  assert.equal([l6.dim0, l6.dim1, l6.dim2, l6.dim3], [1, 6, 24, 35]);
  assert.equal([l6.input1Stride1, l6.input1Stride2, l6.input1Stride3], [35, 0, 1]);
  assert.equal([l6.input2Stride1, l6.input2Stride2, l6.input2Stride3], [0, 35, 1]);
  const same = layout([2, 3, 4], [2, 3, 4], [2, 3, 4]);
  assert.equal([same.dim0, same.dim1, same.dim2, same.dim3, same.input1Stride3, same.input2Stride3], [1, 1, 1, 24, 1, 1]);
  const scalar = layout([1, 1, 5], [], [1, 1, 5]);
  assert.equal([scalar.dim3, scalar.input1Stride3, scalar.input2Stride3], [5, 1, 0]);
  assert.throws(() => layout([2, 1, 2, 1, 2], [1, 2, 1, 2, 1], [2, 2, 2, 2, 2]), /at most 4/);
  assert.throws(() => layout([3], [4], [4]), /do not broadcast/);
});

test("int32 arithmetic on constants folds at load (ADD, SUB, MUL, DIV, FLOOR_DIV, FLOOR_MOD, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE)", async () => {
  const code = (name: string) => BUILTIN_OP_NAMES.indexOf(name);
  const constant = (values: number[], shape = [values.length]) => ({ type: "int32" as const, shape, data: new Int32Array(values) });
  const chain: [string, number[], (x: number, y: number) => number][] = [
    ["ADD", [5, -7, 9], (x, y) => x + y],
    ["SUB", [-3, 4, 11], (x, y) => x - y],
    ["MUL", [2, -3, 4], (x, y) => x * y],
    ["FLOOR_DIV", [3, -3, 2], (x, y) => Math.floor(x / y)],
    ["FLOOR_MOD", [4, -5, 3], (x, y) => x - Math.floor(x / y) * y],
    ["MAXIMUM", [-1, 2, 0], Math.max],
    ["MINIMUM", [1, 1, 1], Math.min],
    ["SQUARED_DIFFERENCE", [3, -2, 0], (x, y) => (x - y) ** 2],
    ["DIV", [-2, 2, 3], (x, y) => Math.trunc(x / y)],
  ];
  // t0 = [10, 20, -30]; t(k+1) = OP_k(t(k), c_k); the last one plus the int32 graph input is the output.
  const tensors: TensorSpec[] = [constant([10, 20, -30])];
  const ops: OpSpec[] = [];
  let expected = [10, 20, -30];
  let last = 0;
  for (const [name, values, f] of chain) {
    const c = tensors.push(constant(values)) - 1;
    const out = tensors.push({ type: "int32", shape: [3] }) - 1;
    ops.push({ builtinCode: code(name), inputs: [last, c], outputs: [out], options: null });
    expected = expected.map((x, i) => f(x, values[i]));
    last = out;
  }
  tensors.push({ type: "int32", shape: [3] }, { type: "int32", shape: [3] });
  ops.push({ builtinCode: code("ADD"), inputs: [last, last + 1], outputs: [last + 2], options: { kind: "AddOptions", fusedActivation: "NONE", potScaleInt16: false } });
  const model = await Model.load(writeModel(buildModel({ tensors, ops, inputs: [last + 1], outputs: [last + 2] })));
  assert.is(model.ops.length, 1, "only the op with a graph input is left");
  assert.equal([...(model.runAll([new Int32Array([1, 2, 3])])[0] as Int32Array)], expected.map((v, i) => v + i + 1));
});

test.run();
