// The reduction kernel's v128 path against its scalar reference (reduce / reduce_ref) through
// whole models on random shapes with awkward sizes and random axes: byte-identical outputs.
// GATHER's constant folding; a model with an int64 output (ARG_MAX) through Model.runAll and
// `quantlite run`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { GraphOp, GraphTensor } from "../js/graph/graph.js";
import { Model, type TensorData } from "../js/index.js";
import { gather } from "../js/ops/gather.js";
import { BuiltinOp } from "../js/tflite/builtin-ops.js";
import { writeModel } from "../js/tflite/write.js";
import { buildModel, singleOpModel } from "./model-builder.js";
import { Rng, randomQuant } from "./random.js";
import { constantIndices, product, randomBytes } from "./tflite-cases/tensors.js";

const AWKWARD = [1, 3, 7, 15, 16, 17, 33];

test("reduce: v128 and scalar reference give identical bytes (MAX, MIN, SUM, MEAN; int8, uint8, float32)", async () => {
  const rng = new Rng(20261208);
  let checked = 0;
  for (const [code, kind] of [[BuiltinOp.REDUCE_MAX, "max"], [BuiltinOp.REDUCE_MIN, "min"], [BuiltinOp.SUM, "sum"], [BuiltinOp.MEAN, "mean"]] as const) {
    for (const type of ["int8", "uint8", "float32"] as const) {
      for (let i = 0; i < 12; i++) {
        let shape: number[];
        do shape = Array.from({ length: rng.int(1, 5) }, () => rng.pick(AWKWARD)); while (product(shape) > 20000);
        const rank = shape.length;
        let axes = shape.map((_, a) => a).filter(() => rng.bool(0.5));
        if (axes.length === 0) axes = [rank - 1];
        const keepDims = rng.bool(0.5);
        const outShape = keepDims ? shape.map((d, a) => (axes.includes(a) ? 1 : d)) : shape.filter((_, a) => !axes.includes(a));
        const q = type === "float32" ? {} : randomQuant(rng, type);
        const outQ = type === "float32" || kind === "max" || kind === "min" ? q : randomQuant(rng, type);
        const model = singleOpModel({
          builtinCode: code,
          inputs: [{ name: "input", type, shape, ...q }, { name: "axis", type: "int32", shape: [axes.length], data: new Int32Array(axes) }],
          outputs: [{ name: "output", type, shape: outShape, ...outQ }],
          options: { kind: "ReducerOptions", keepDims },
        });
        const bytes = randomBytes(rng, type, product(shape));
        const input = type === "float32" ? new Float32Array(bytes.buffer) : type === "int8" ? new Int8Array(bytes.buffer) : bytes;
        const outputs: TensorData[] = [];
        for (const kernels of ["simd", "scalar"] as const) {
          const m = await Model.load(model, { kernels });
          outputs.push(m.run(input));
          m.dispose();
        }
        const [simd, scalar] = outputs.map((o) => new Uint8Array(o.buffer, o.byteOffset, o.byteLength));
        assert.equal(simd, scalar, `${kind} ${type} [${shape}] axes [${axes}]`);
        checked++;
      }
    }
  }
  assert.is(checked, 144);
});

function tensor(index: number, dtype: "int32" | "int64", shape: number[], values: number[] | null): GraphTensor {
  const bytes = dtype === "int32" ? 4 : 8;
  const data = values === null ? null : new Uint8Array(dtype === "int32" ? Int32Array.from(values).buffer : BigInt64Array.from(values, BigInt).buffer);
  const elementCount = product(shape);
  return { index, name: `t${index}`, dtype, shape, elementCount, byteSize: elementCount * bytes, scale: [], zeroPoint: [], quantizedDimension: 0, data };
}

test("GATHER folds constant params and indices (axis, batch_dims, int64 indices)", () => {
  const op = (params: GraphTensor, indices: GraphTensor, out: GraphTensor, axis: number, batchDims: number): GraphOp => ({
    index: 0, type: "GATHER", builtinCode: BuiltinOp.GATHER, version: 1, inputs: [params, indices], outputs: [out],
    options: { kind: "GatherOptions", axis, batchDims },
  });
  const shape = tensor(0, "int32", [4], [1, 224, 224, 3]);
  const hw = gather.fold!(op(shape, tensor(1, "int32", [2], [1, 2]), tensor(2, "int32", [2], null), 0, 0));
  assert.equal([...new Int32Array(hw![0].buffer)], [224, 224]);
  // params [[0, 1, 2], [3, 4, 5]], axis 1, batch_dims 1, indices [[2, 0], [1, 1]] → [[2, 0], [4, 4]].
  const params = tensor(0, "int64", [2, 3], [0, 1, 2, 3, 4, 5]);
  const picked = gather.fold!(op(params, tensor(1, "int64", [2, 2], [2, 0, 1, 1]), tensor(2, "int64", [2, 2], null), -1, 1));
  assert.equal([...new BigInt64Array(picked![0].buffer)], [2n, 0n, 4n, 4n]);
  assert.is(gather.fold!(op(shape, tensor(1, "int32", [1], null), tensor(2, "int32", [1], null), 0, 0)), null);
});

test("GATHER of constants leaves the graph when it feeds another operator", async () => {
  const model = writeModel(buildModel({
    tensors: [
      { name: "x", type: "int8", shape: [2, 3], scale: 0.5, zeroPoint: 0 },
      { name: "dims", type: "int32", shape: [4], data: new Int32Array([5, 2, 3, 9]) },
      { name: "which", type: "int32", shape: [2], data: new Int32Array([1, 2]) },
      { name: "shape", type: "int32", shape: [2] },
      { name: "y", type: "int8", shape: [2, 3], scale: 0.5, zeroPoint: 0 },
    ],
    ops: [
      { builtinCode: BuiltinOp.GATHER, inputs: [1, 2], outputs: [3], options: { kind: "GatherOptions", axis: 0, batchDims: 0 } },
      { builtinCode: BuiltinOp.RESHAPE, inputs: [0, 3], outputs: [4], options: null },
    ],
    inputs: [0],
    outputs: [4],
  }));
  const m = await Model.load(model);
  assert.equal(m.ops.map((o) => o.type), ["RESHAPE"]);
  assert.equal([...m.run(new Int8Array([1, -2, 3, -4, 5, -6])) as Int8Array], [1, -2, 3, -4, 5, -6]);
  m.dispose();
});

test("GATHER of constant uint8 params by input indices (an embedding lookup)", async () => {
  const table = new Uint8Array([0, 1, 127, 128, 200, 255, 7, 9]);
  const model = singleOpModel({
    builtinCode: BuiltinOp.GATHER,
    inputs: [{ name: "table", type: "uint8", shape: [4, 2], scale: 0.5, zeroPoint: 128, data: table }, { name: "ids", type: "int32", shape: [3] }],
    outputs: [{ name: "rows", type: "uint8", shape: [3, 2], scale: 0.5, zeroPoint: 128 }],
    options: { kind: "GatherOptions", axis: 0, batchDims: 0 },
  });
  for (const kernels of ["simd", "scalar"] as const) {
    const m = await Model.load(model, { kernels });
    assert.equal([...m.run(new Int32Array([2, 0, 3])) as Uint8Array], [200, 255, 0, 1, 7, 9]);
    m.dispose();
  }
});

/** ARG_MAX over the last axis of int8 (2, 5) to int64 (2). */
function argMaxModel(): Uint8Array {
  return singleOpModel({
    builtinCode: BuiltinOp.ARG_MAX,
    inputs: [{ name: "x", type: "int8", shape: [2, 5], scale: 1, zeroPoint: 0 }, constantIndices("axis", "int32", [1], [-1])],
    outputs: [{ name: "classes", type: "int64", shape: [2] }],
    options: { kind: "ArgMaxOptions", outputType: "int64" },
  });
}

test("a model with an int64 output runs through Model.runAll and quantlite run", async () => {
  const x = new Int8Array([3, 9, 9, -1, 0, -5, -7, -6, -5, -128]);
  const m = await Model.load(argMaxModel());
  assert.is(m.outputs[0].dtype, "int64");
  const [out] = m.runAll([x]);
  assert.instance(out, BigInt64Array);
  assert.equal([...(out as BigInt64Array)], [1n, 0n]);
  const into = new BigInt64Array(2);
  m.runAll([x], [into]);
  assert.equal([...into], [1n, 0n]);
  m.dispose();

  const dir = mkdtempSync(join(tmpdir(), "quantlite-int64-"));
  try {
    writeFileSync(join(dir, "m.tflite"), argMaxModel());
    writeFileSync(join(dir, "in.bin"), new Uint8Array(x.buffer));
    const cli = new URL("../js/cli.js", import.meta.url).pathname;
    const r = spawnSync(process.execPath, [cli, "run", "--model", join(dir, "m.tflite"), "--input", join(dir, "in.bin"), "--output", join(dir, "out.bin")], { encoding: "utf8" });
    assert.is(r.status, 0, r.stderr);
    const written = readFileSync(join(dir, "out.bin"));
    assert.equal([...new BigInt64Array(Uint8Array.from(written).buffer)], [1n, 0n]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
