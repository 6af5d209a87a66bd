// Cases shared by RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR (test/tflite-cases/resize_*.ts):
// int8, uint8 and float32, each (align_corners, half_pixel_centers) pair, sizes that scale up and
// down by integer and non-integer ratios, 1-pixel inputs and outputs.
import { BUILTIN_OP_NAMES } from "../../js/tflite/builtin-ops.js";
import { singleOpModel, type TensorSpec } from "../model-builder.js";
import { type Rng, randomChannels, randomQuant } from "../random.js";
import type { FixtureCase } from "./case.js";

type ResizeType = "int8" | "uint8" | "float32";

/** (input H, W) → (output H, W): up, down, mixed, non-integer ratios, 1-pixel edges. */
const SIZES: readonly (readonly [number, number, number, number])[] = [
  [3, 4, 7, 9], [5, 7, 3, 2], [4, 4, 8, 8], [6, 5, 4, 11],
  [1, 1, 3, 5], [7, 3, 1, 1], [2, 9, 5, 4], [8, 6, 13, 3],
];

const OPTION_PAIRS: readonly (readonly [boolean, boolean])[] = [[false, false], [true, false], [false, true], [true, true]];

export function resizeCases(rng: Rng, kind: "bilinear" | "nearest"): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const type of ["int8", "uint8", "float32"] as ResizeType[]) {
    // TFLite's RESIZE_BILINEAR refuses align_corners with half_pixel_centers.
    const pairs = kind === "bilinear" ? OPTION_PAIRS.slice(0, 3) : OPTION_PAIRS;
    pairs.forEach(([alignCorners, halfPixelCenters], o) => {
      for (let k = 0; k < (kind === "bilinear" ? 5 : 4); k++) {
        const [inH, inW, outH, outW] = SIZES[(o * 2 + k * 3 + (type === "uint8" ? 1 : 0)) % SIZES.length];
        const channels = randomChannels(rng, type === "float32" ? 8 : 33);
        const batches = channels <= 8 ? rng.int(1, 2) : 1;
        const q = type === "float32" ? undefined : randomQuant(rng, type);
        const tensor = (shape: number[], name: string): TensorSpec => ({ name, type, shape, scale: q?.scale, zeroPoint: q?.zeroPoint });
        const model = singleOpModel({
          builtinCode: BUILTIN_OP_NAMES.indexOf(kind === "bilinear" ? "RESIZE_BILINEAR" : "RESIZE_NEAREST_NEIGHBOR"),
          inputs: [tensor([batches, inH, inW, channels], "input"), { name: "size", type: "int32", shape: [2], data: new Int32Array([outH, outW]) }],
          outputs: [tensor([batches, outH, outW, channels], "output")],
          options: kind === "bilinear"
            ? { kind: "ResizeBilinearOptions", alignCorners, halfPixelCenters }
            : { kind: "ResizeNearestNeighborOptions", alignCorners, halfPixelCenters },
          version: halfPixelCenters ? 3 : type === "int8" ? 2 : 1,
        });
        const flags = `${alignCorners ? "ac" : ""}${halfPixelCenters ? "hpc" : ""}` || "plain";
        cases.push({ name: `${type}_${flags}_${inH}x${inW}_to_${outH}x${outW}_${k}`, model });
      }
    });
  }
  return cases;
}
