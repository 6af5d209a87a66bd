// STRIDED_SLICE: random begin/end/strides (negative ones too) under every mask — begin, end,
// ellipsis, new axis, shrink axis — and `offset` (inside the input), ranks 1–4, every data dtype.
import { resolveStridedSlice } from "../../js/ops/strided_slice.js";
import type { StridedSliceOptions } from "../../js/tflite/types.js";
import type { CaseMaker, FixtureCase } from "./case.js";
import { DATA_TYPES, data, int32, opCase, quantFor, randomShape } from "./moves.js";

const KINDS = ["plain", "begin_end", "negative", "shrink", "ellipsis", "new_axis", "offset", "mixed"] as const;

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  for (const type of DATA_TYPES) {
    for (const kind of KINDS) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const rank = rng.int(1, 4);
        const shape = randomShape(rng, rank, 1, 6);
        const count = kind === "ellipsis" ? rng.int(1, rank) : kind === "new_axis" ? rank + 1 : rank;
        const begin: number[] = [], end: number[] = [], strides: number[] = [];
        for (let i = 0; i < count; i++) {
          const d = shape[Math.min(i, rank - 1)];
          const negative = (kind === "negative" || kind === "mixed") && rng.bool(0.6);
          const stride = (negative ? -1 : 1) * rng.int(1, 3);
          // With `offset`, end is a size; TFLite reads past the input when begin + size exceeds it.
          const b = kind === "offset" ? rng.int(-d, d - 1) : rng.int(-d - 1, d);
          begin.push(b);
          end.push(kind === "offset" ? rng.int(0, d - (b < 0 ? b + d : b)) : rng.int(-d - 1, d + 1));
          strides.push(kind === "offset" ? 1 : stride);
        }
        const mask = (p: number) => { let m = 0; for (let i = 0; i < count; i++) if (rng.bool(p)) m |= 1 << i; return m; };
        const o: StridedSliceOptions = {
          kind: "StridedSliceOptions",
          beginMask: kind === "plain" || kind === "offset" ? 0 : mask(0.4),
          endMask: kind === "plain" || kind === "offset" ? 0 : mask(0.4),
          ellipsisMask: kind === "ellipsis" || (kind === "mixed" && rng.bool(0.5)) ? 1 << rng.int(0, count - 1) : 0,
          newAxisMask: kind === "new_axis" || kind === "mixed" ? mask(0.3) : 0,
          shrinkAxisMask: kind === "shrink" || kind === "mixed" ? mask(0.4) : 0,
          offset: kind === "offset",
        };
        if (kind === "new_axis" && o.newAxisMask === 0) o.newAxisMask = 1;
        // A shrunk axis with a negative stride writes nothing in TFLite's reference kernel.
        for (let i = 0; i < count; i++) if (o.shrinkAxisMask & (1 << i)) strides[i] = Math.abs(strides[i]);
        let resolved;
        try {
          resolved = resolveStridedSlice(shape, begin, end, strides, o, (m) => { throw new Error(m); });
        } catch {
          continue;
        }
        if (resolved.outShape.some((d) => d === 0) || resolved.move.dims.length > 5) continue;
        const q = quantFor(rng, type);
        cases.push(opCase(rng, `${type}_${kind}`, "STRIDED_SLICE", [data(type, shape, q), int32(begin), int32(end), int32(strides)], [data(type, resolved.outShape, q)], o));
        break;
      }
    }
  }
  return cases;
};
