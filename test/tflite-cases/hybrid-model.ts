// Pieces of the hybrid (dynamic-range) fixture groups (hybrid_fully_connected, hybrid_conv2d,
// hybrid_depthwise_conv2d): float32 activations, a constant int8 filter with per-tensor or
// per-channel scales (zero points 0), an optional float32 bias.
import type { TensorSpec } from "../model-builder.js";
import { type Rng, randomScale } from "../random.js";

/** The int8 filter: `channels` scales along `dimension` when per-channel, else one. */
export function hybridFilter(rng: Rng, shape: number[], dimension: number, perChannel: boolean): TensorSpec {
  const count = shape.reduce((a, b) => a * b, 1);
  const scales = Array.from({ length: perChannel ? shape[dimension] : 1 }, () => randomScale(rng, 1e-3, 1e-1));
  return {
    name: "weights", type: "int8", shape, scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: dimension,
    data: rng.int8Array(count, -127, 127),
  };
}

/** A float32 bias of `channels` values, or null (30% of the time) when `optional`. */
export function hybridBias(rng: Rng, channels: number, optional = true): TensorSpec | null {
  if (optional && rng.bool(0.3)) return null;
  return { name: "bias", type: "float32", shape: [channels], data: Float32Array.from({ length: channels }, () => rng.float() * 2 - 1) };
}

export function floatActivation(name: string, shape: number[]): TensorSpec {
  return { name, type: "float32", shape };
}

/** `samples` samples of one float32 input of `count` values in [-range, range), `zeroRows` rows of `rowSize` set to 0 in the first. */
export function floatInputs(rng: Rng, count: number, range: number, rowSize: number, zeroRows: number[], samples = 3): Uint8Array[][] {
  return Array.from({ length: samples }, (_, s) => {
    const values = Float32Array.from({ length: count }, () => (rng.float() * 2 - 1) * range);
    if (s === 0) for (const r of zeroRows) values.fill(0, r * rowSize, (r + 1) * rowSize);
    return [new Uint8Array(values.buffer)];
  });
}
