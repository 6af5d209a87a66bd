// The data-movement ops' kernel and folding: strided_copy (v128 runs) equals strided_copy_ref and
// the JavaScript evaluator that folding uses (copyMove), on random moves — transposed, reversed
// (negative strides), repeated (stride 0) and interleaved outputs, awkward sizes, element sizes
// 1/2/4/8; the fold_shapes fixtures fold down to the ops that touch activations; refusals.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model, ModelError } from "../js/index.js";
import { BUILTIN_OP_NAMES } from "../js/tflite/builtin-ops.js";
import { type Move, copyMove, stridesOf, stridedCopyParams } from "../js/ops/strided-copy.js";
import { Lab } from "./kernel-cases.js";
import { singleOpModel } from "./model-builder.js";
import { Rng } from "./random.js";

const AWKWARD = [1, 2, 3, 7, 15, 16, 17, 33];
const GUARD = 32;

/** A random move reading a box of `source` (permuted, some dimensions reversed or repeated) into a sub-box of `target`. */
function randomMove(rng: Rng): { move: Move; inCount: number; outCount: number } {
  const rank = rng.int(1, 6);
  const dims = Array.from({ length: rank }, () => (rank > 3 ? rng.int(1, 4) : rng.pick(AWKWARD)));
  const perm = dims.map((_, i) => i);
  for (let i = rank - 1; i > 0; i--) { const j = rng.int(0, i); [perm[i], perm[j]] = [perm[j], perm[i]]; }
  const source = perm.map((p) => dims[p] + rng.int(0, 2));
  const sourceStrides = stridesOf(source);
  let inOffset = 0;
  const inStrides = dims.map((d, i) => {
    const axis = perm.indexOf(i);
    const stride = sourceStrides[axis];
    if (rng.bool(0.15)) return 0;
    if (rng.bool(0.25)) { inOffset += (d - 1) * stride; return -stride; }
    return stride;
  });
  const target = dims.map((d) => d + rng.int(0, 1));
  const outStrides = stridesOf(target);
  const outOffset = target.reduce((sum, t, i) => sum + (t - dims[i]) * outStrides[i], 0);
  return {
    move: { input: 0, output: 0, inOffset, outOffset, dims, inStrides, outStrides },
    inCount: source.reduce((a, b) => a * b, 1),
    outCount: target.reduce((a, b) => a * b, 1),
  };
}

test("strided_copy equals strided_copy_ref and the folding evaluator on 400 random moves", async () => {
  const lab = await Lab.create();
  const rng = new Rng(0x5a9e);
  for (let c = 0; c < 400; c++) {
    const elementBytes = rng.pick([1, 2, 4, 8]);
    const { move, inCount, outCount } = randomMove(rng);
    const source = rng.uint8Array(inCount * elementBytes);
    const input = lab.store(source);
    const results = [true, false].map((simd) => {
      const output = lab.output(outCount * elementBytes, GUARD);
      const params = stridedCopyParams(lab.memory, input, output, elementBytes, move);
      assert.type(params, "number");
      (simd ? lab.kernels.strided_copy : lab.kernels.strided_copy_ref)(params as number);
      return lab.read(output, outCount * elementBytes + GUARD);
    });
    const expected = new Uint8Array(outCount * elementBytes + GUARD).fill(0x5a);
    copyMove(source, expected, elementBytes, move);
    const what = `case ${c}: ${elementBytes}-byte ${JSON.stringify(move)}`;
    assert.equal(results[0], results[1], `v128 and reference differ, ${what}`);
    assert.equal(results[1], expected, `reference and JavaScript differ, ${what}`);
  }
});

test("shape arithmetic folds at load: only the ops on activations run", async () => {
  const dir = "test/fixtures/tflite/fold_shapes";
  for (const [name, types] of [["int8_reshape", ["RESHAPE", "RESHAPE"]], ["float32_concat", ["CONCATENATION"]]] as const) {
    const model = await Model.load(new Uint8Array(readFileSync(`${dir}/${name}.tflite`)));
    const x = model.inputs[0].dtype === "float32" ? new Float32Array(6) : new Int8Array(24);
    assert.equal(model.profile([x]).map((op) => op.type), [...types], name);
    model.dispose();
  }
});

test("refusals: differently quantized PACK inputs, a computed permutation", async () => {
  const code = (name: string) => BUILTIN_OP_NAMES.indexOf(name);
  const q8 = (scale: number, shape: number[]) => ({ type: "int8" as const, shape, scale, zeroPoint: 0 });
  const pack = singleOpModel({
    builtinCode: code("PACK"), inputs: [q8(0.5, [2]), q8(0.25, [2])], outputs: [q8(0.5, [2, 2])],
    options: { kind: "PackOptions", valuesCount: 2, axis: 0 },
  });
  const transpose = singleOpModel({
    builtinCode: code("TRANSPOSE"), inputs: [q8(0.5, [2, 3]), { type: "int32", shape: [2] }], outputs: [q8(0.5, [3, 2])],
    options: { kind: "TransposeOptions" },
  });
  for (const [bytes, message] of [[pack, /quantized alike/], [transpose, /must be a constant/]] as const) {
    try {
      await Model.load(bytes);
      assert.unreachable("loaded");
    } catch (e) {
      assert.instance(e, ModelError);
      assert.match((e as Error).message, message);
    }
  }
});

test.run();
