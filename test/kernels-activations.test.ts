// The v128 kernels of the activation ops against their scalar references: byte-identical outputs
// (and untouched guard bytes after them) on random sizes, including 1, 3, 7, 15, 17, 33; and
// CAST of constants, folded at load.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { floatBits, storeParams } from "../js/ops/context.js";
import { FIELDS_F32, UNARY_F32 } from "../js/ops/unary.js";
import type { GraphOp, GraphTensor } from "../js/graph/graph.js";
import { cast } from "../js/ops/cast.js";
import type { TensorType } from "../js/tflite/types.js";
import { Lab } from "./kernel-cases.js";
import type { TensorValues } from "./model-builder.js";
import { opCode } from "./tflite-cases/unary.js";
import { Rng } from "./random.js";

const GUARD = 32;
const SIZES = [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 64, 100, 257];

/** Values over many magnitudes, with zeros, signed zeros, huge and tiny ones. */
function randomFloats(rng: Rng, n: number): Float32Array {
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.float();
    values[i] = r < 0.05 ? 0 : r < 0.1 ? -0 : r < 0.15 ? (rng.bool() ? 1e30 : -1e30) : (rng.bool() ? 1 : -1) * rng.logUniform(1e-6, 200);
  }
  return values;
}

test("unary_f32: v128 equals the scalar reference for every kind", async () => {
  const lab = await Lab.create();
  const rng = new Rng(4242);
  for (const [name, kind] of Object.entries(UNARY_F32)) {
    for (const count of SIZES) {
      const a = name === "CLAMP" ? -rng.float() * 2 : rng.float();
      const b = name === "CLAMP" ? rng.float() * 6 : 0;
      const input = lab.store(randomFloats(rng, count));
      const outputs = [false, true].map((simd) => {
        const output = lab.output(count * 4, GUARD);
        const params = storeParams(lab.memory, FIELDS_F32, { input, output, count, kind, a: floatBits(a), b: floatBits(b) });
        (simd ? lab.kernels.unary_f32 : lab.kernels.unary_f32_ref)(params);
        return lab.read(output, count * 4 + GUARD);
      });
      for (let i = 0; i < outputs[0].length; i++) {
        if (outputs[0][i] !== outputs[1][i] || (i >= count * 4 && outputs[0][i] !== 0x5a)) {
          assert.unreachable(`unary_f32 ${name} count ${count}: byte ${i} differs (v128 ${outputs[1][i]}, reference ${outputs[0][i]})`);
        }
      }
    }
  }
});

test("CAST of a constant folds: int32, uint8 (as in the file, unshifted), float32 and int64 values", () => {
  const tensor = (index: number, dtype: TensorType, data: TensorValues | BigInt64Array | null): GraphTensor => ({
    index, name: `t${index}`, dtype, shape: [4], elementCount: 4, byteSize: 4 * (({ int64: 8, int32: 4, float32: 4 } as Record<string, number>)[dtype] ?? 1),
    scale: [], zeroPoint: [], quantizedDimension: 0, data: data === null ? null : new Uint8Array(data.buffer.slice(0)),
  });
  const folds: [TensorType, TensorValues | BigInt64Array, TensorType, ArrayLike<number | bigint>][] = [
    ["int32", new Int32Array([-3, 0, 7, 100000]), "float32", [-3, 0, 7, 100000]],
    ["uint8", new Uint8Array([0, 255, 128, 1]), "int32", [0, 255, 128, 1]],
    ["float32", new Float32Array([-2.75, 0.5, 3.99, -1e9]), "int32", [-2, 0, 3, -1e9]],
    ["float32", new Float32Array([-2.75, 0, 255.5, 300]), "uint8", [254, 0, 255, 44]],
    ["int32", new Int32Array([-1, 0, 2 ** 31 - 1, 5]), "int64", [-1n, 0n, 2n ** 31n - 1n, 5n]],
  ];
  for (const [from, data, to, want] of folds) {
    const op: GraphOp = { index: 0, type: "CAST", builtinCode: opCode("CAST"), version: 1, inputs: [tensor(0, from, data)], outputs: [tensor(1, to, null)], options: null };
    const [bytes] = cast.fold!(op)!;
    const Type = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array, int64: BigInt64Array }[to as "float32"]!;
    assert.equal(Array.from(new Type(bytes.buffer, 0, 4)), Array.from(want), `${from} → ${to}`);
  }
});

test.run();
