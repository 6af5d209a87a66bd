// QUANTIZE from float32 to int8 / uint8 (values on and between quantization steps, saturating
// ones) and between 8-bit types (uint8 ↔ int8, int8 → int8 with another scale).
import * as mb from "../model-builder.js";
import { type QuantDtype, randomChannels, randomData, randomQuant, randomScale, randomZeroPoint } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const dtype of ["int8", "uint8"] as QuantDtype[]) {
    for (let i = 0; i < 8; i++) {
      const shape = [1, rng.int(1, 5), rng.int(1, 5), randomChannels(rng)];
      const n = shape.reduce((a, b) => a * b, 1);
      const pow2 = rng.bool(0.3); // power-of-two scales make exact .5 ties reachable
      const outQ = { scale: pow2 ? 2 ** rng.int(-8, 2) : randomScale(rng, 1e-3, 2), zeroPoint: randomZeroPoint(rng, dtype) };
      const inputs = [0, 1, 2].map(() => {
        const values = new Float32Array(n);
        for (let k = 0; k < n; k++) {
          const q = rng.int(-140, 140);
          values[k] = rng.bool(0.3) ? (q + 0.5) * outQ.scale : rng.bool(0.5) ? q * outQ.scale : rng.normal() * 80 * outQ.scale;
        }
        return [new Uint8Array(values.buffer)];
      });
      cases.push({ name: `float32_to_${dtype}_${i}`, model: mb.quantizeModel({ type: "float32", shape }, { type: dtype, shape, q: outQ }), inputs });
    }
  }
  for (const [from, to] of [["uint8", "int8"], ["int8", "uint8"], ["int8", "int8"]] as [QuantDtype, QuantDtype][]) {
    for (let i = 0; i < 6; i++) {
      const shape = [1, rng.int(1, 5), rng.int(1, 5), randomChannels(rng)];
      const inQ = randomQuant(rng, from, 1e-3, 1);
      const outQ = from !== to && rng.bool(0.5)
        ? { scale: inQ.scale, zeroPoint: inQ.zeroPoint + (to === "int8" ? -128 : 128) }
        : { scale: Math.fround(inQ.scale * rng.logUniform(0.2, 5)), zeroPoint: randomZeroPoint(rng, to) };
      const inputs = [0, 1, 2].map(() => [new Uint8Array(randomData(rng, from, shape.reduce((a, b) => a * b, 1)).buffer)]);
      cases.push({ name: `${from}_to_${to}_${i}`, model: mb.quantizeModel({ type: from, shape, q: inQ }, { type: to, shape, q: outQ }), inputs });
    }
  }
  return cases;
};
