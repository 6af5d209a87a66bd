// The v128 kernels of the activation ops against their scalar references: byte-identical outputs
// (and untouched guard bytes after them) on random sizes, including 1, 3, 7, 15, 17, 33.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { floatBits, storeParams } from "../js/ops/context.js";
import { FIELDS_F32, UNARY_F32 } from "../js/ops/unary.js";
import { Lab } from "./kernel-cases.js";
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

test.run();
