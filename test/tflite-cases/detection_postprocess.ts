// TFLite_Detection_PostProcess (custom op, options in a FlexBuffer map): random box encodings,
// class scores and anchors, uint8 and float32 (each input's own choice), fast NMS (1–3 classes
// per detection) and regular NMS, with and without a background column, boxes of 4 or more values,
// option keys left out (detections_per_class, use_regular_nms). Scores take few distinct values,
// so that ties exercise the sort orders. Fast NMS leaves the slots after `count` unwritten in
// TFLite (whatever the arena held), so these cases always have more boxes than max_detections and
// a score threshold every box passes.
import { singleOpModel, type TensorSpec } from "../model-builder.js";
import type { Rng } from "../random.js";
import type { CaseMaker, FixtureCase } from "./case.js";

type Value = { int: number } | { float: number } | { bool: boolean };

/** A FlexBuffer map of scalars (keys sorted, every slot 4 bytes wide), as flexbuffers' Builder lays it out. */
export function flexMap(entries: Record<string, Value>): Uint8Array {
  const keys = Object.keys(entries).sort();
  const bytes: number[] = [];
  const u32 = (v: number) => bytes.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  const keyAt = keys.map((k) => {
    const at = bytes.length;
    for (const ch of k) bytes.push(ch.charCodeAt(0));
    bytes.push(0);
    return at;
  });
  while (bytes.length % 4 !== 0) bytes.push(0);
  u32(keys.length);
  const keyVector = bytes.length;
  keyAt.forEach((at) => u32(bytes.length - at));
  u32(bytes.length - keyVector); // the map's keys vector
  u32(4); // its byte width
  u32(keys.length);
  const map = bytes.length;
  const scratch = new DataView(new ArrayBuffer(4));
  const types = keys.map((k) => {
    const v = entries[k];
    if ("int" in v) { u32(v.int); return (1 << 2) | 2; }
    if ("bool" in v) { u32(v.bool ? 1 : 0); return (26 << 2) | 2; }
    scratch.setFloat32(0, v.float, true);
    u32(scratch.getUint32(0, true));
    return (3 << 2) | 2;
  });
  bytes.push(...types);
  u32(bytes.length - map); // root: offset to the map
  bytes.push((9 << 2) | 2, 4);
  return new Uint8Array(bytes);
}

function f32(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

export const make: CaseMaker = (rng) => {
  const cases: FixtureCase[] = [];
  const kinds = ["fast", "regular"] as const;
  const types = ["uint8", "float32"] as const;
  let index = 0;
  for (const nms of kinds) {
    for (const boxType of types) {
      for (const scoreType of types) {
        for (let i = 0; i < 5; i++) cases.push(detectionCase(rng, `${nms}_${boxType[0]}${scoreType[0]}_${index++}`, nms, boxType, scoreType));
      }
    }
  }
  return cases;
};

function detectionCase(rng: Rng, name: string, nms: "fast" | "regular", boxType: "uint8" | "float32", scoreType: "uint8" | "float32"): FixtureCase {
  const numClasses = rng.int(1, 6);
  const background = rng.bool(0.6);
  const columns = numClasses + (background ? 1 : 0);
  const maxDetections = rng.int(1, 8);
  const maxClasses = nms === "fast" ? rng.int(1, Math.min(3, numClasses)) : 1;
  const numBoxes = nms === "fast" ? maxDetections + rng.int(3, 40) : rng.int(1, 40);
  const boxStride = rng.bool(0.2) ? rng.int(5, 8) : 4;
  const options: Record<string, Value> = {
    max_detections: { int: maxDetections },
    max_classes_per_detection: { int: maxClasses },
    nms_score_threshold: { float: nms === "fast" ? -1e9 : [-1e9, 0.1, 0.3, 0.5][rng.int(0, 3)] },
    nms_iou_threshold: { float: [0.2, 0.45, 0.6, 0.9, 1][rng.int(0, 4)] },
    num_classes: { int: numClasses },
    y_scale: { float: 10 },
    x_scale: { float: 10 },
    h_scale: { float: rng.bool(0.5) ? 5 : 4 },
    w_scale: { float: 5 },
  };
  if (nms === "regular" || rng.bool(0.5)) options.use_regular_nms = { bool: nms === "regular" };
  if (rng.bool(0.6)) options.detections_per_class = { int: rng.int(1, 6) };

  const boxQ = { scale: [0.02, 0.05, 0.08][rng.int(0, 2)], zeroPoint: rng.int(100, 150) };
  const scoreQ = rng.bool(0.5) ? { scale: 1 / 256, zeroPoint: 0 } : { scale: rng.float() * 0.02 + 0.002, zeroPoint: rng.int(0, 60) };
  const anchorQ = { scale: 1 / 255, zeroPoint: 0 };
  // Anchors: centres in [0, 1], sizes in [0.02, 0.4].
  const anchorValues = Array.from({ length: numBoxes }, () => [rng.float(), rng.float(), 0.02 + rng.float() * 0.38, 0.02 + rng.float() * 0.38]).flat();
  const anchors: TensorSpec = boxType === "uint8"
    ? { name: "anchors", type: "uint8", shape: [numBoxes, 4], ...anchorQ, data: Uint8Array.from(anchorValues, (v) => Math.round(v * 255)) }
    : { name: "anchors", type: "float32", shape: [numBoxes, 4], data: new Float32Array(anchorValues) };
  const quant = (type: string, q: { scale: number; zeroPoint: number }) => (type === "uint8" ? q : {});
  const out = (shape: number[], n: string): TensorSpec => ({ name: n, type: "float32", shape });
  const slots = maxDetections * maxClasses;
  const model = singleOpModel({
    builtinCode: 32,
    customCode: "TFLite_Detection_PostProcess",
    customOptions: flexMap(options),
    inputs: [
      { name: "box_encodings", type: boxType, shape: [1, numBoxes, boxStride], ...quant(boxType, boxQ) },
      { name: "class_predictions", type: scoreType, shape: [1, numBoxes, columns], ...quant(scoreType, scoreQ) },
      anchors,
    ],
    outputs: [out([1, slots, 4], "boxes"), out([1, slots], "classes"), out([1, slots], "scores"), out([1], "count")],
    options: null,
  });
  const levels = rng.int(3, 12);
  const inputs = Array.from({ length: 3 }, () => [
    boxType === "uint8"
      ? Uint8Array.from({ length: numBoxes * boxStride }, () => rng.int(0, 255))
      : f32(Array.from({ length: numBoxes * boxStride }, (_, i) => (i % boxStride < 2 ? rng.float() * 4 - 2 : rng.float() * 2 - 1))),
    scoreType === "uint8"
      ? Uint8Array.from({ length: numBoxes * columns }, () => rng.int(0, levels) * Math.floor(255 / levels))
      : f32(Array.from({ length: numBoxes * columns }, () => rng.int(0, levels) / levels)),
  ]);
  return { name, model, inputs };
}
