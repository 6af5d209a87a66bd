// FULLY_CONNECTED with int8 / uint8 activations: int8 per-tensor (zero and nonzero filter zero
// points) and per-channel filters, uint8 filters; with and without bias, keep_num_dims, inputs of
// rank 2–4 with several rows, every fused activation, awkward depths and channel counts. Output
// scales follow the accumulators' spread so that outputs do not all saturate.
import { type QType, fullyConnectedModel } from "../model-builder.js";
import { pickActivation, randomChannels, randomData, randomScale, randomZeroPoint } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

type Kind = "int8" | "int8_zp" | "int8_channel" | "uint8";

const DEPTHS = [1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 65];

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const kind of ["int8", "int8_zp", "int8_channel", "uint8"] as Kind[]) {
    for (let i = 0; i < 11; i++) {
      const type: QType = kind === "uint8" ? "uint8" : "int8";
      const depth = rng.pick(DEPTHS);
      const outC = randomChannels(rng);
      const lead = rng.pick([[1], [rng.int(2, 4)], [2, rng.int(1, 3)], [1, 2, rng.int(1, 2)]]);
      const keepNumDims = lead.length > 1 && rng.bool(0.5);
      const inputShape = [...lead, depth];
      const rows = lead.reduce((a, b) => a * b, 1);
      const outputShape = keepNumDims ? [...lead, outC] : [rows, outC];
      const inScale = randomScale(rng, 1e-3, 1);
      const perChannel = kind === "int8_channel";
      const scales = perChannel ? Array.from({ length: outC }, () => randomScale(rng, 1e-3, 1e-1)) : [randomScale(rng, 1e-3, 1e-1)];
      const weightZeroPoint = kind === "uint8" ? randomZeroPoint(rng, "uint8") : kind === "int8_zp" ? rng.int(-20, 20) : 0;
      const zeroPoints = scales.map(() => weightZeroPoint);
      const hasBias = i % 3 !== 2;
      // The accumulator's spread over inputs and weights, in real units, sets the output scale.
      const spread = Math.sqrt(depth) * 74 * 74 * inScale * scales[0];
      const outScale = Math.fround(spread * rng.logUniform(1 / 128, 1 / 16));
      cases.push({
        name: `${kind}_${i}`,
        model: fullyConnectedModel({
          input: { type, shape: inputShape, q: { scale: inScale, zeroPoint: randomZeroPoint(rng, type) } },
          weights: {
            type, shape: [outC, depth], data: randomData(rng, type, outC * depth), scales, zeroPoints, quantizedDimension: 0,
          },
          bias: hasBias ? rng.int32Array(outC, -20 * depth * 74, 20 * depth * 74) : null,
          output: { type, shape: outputShape, q: { scale: outScale, zeroPoint: randomZeroPoint(rng, type) } },
          activation: pickActivation(rng),
          keepNumDims,
        }),
      });
    }
  }
  return cases;
};
