// TFLite_Detection_PostProcess (custom operator of SSD models): box encodings [1, N, ≥4] and class
// scores [1, N, C] (uint8 or float32 each), constant anchors [N, 4] → float32 boxes
// [1, D·K, 4] (ymin, xmin, ymax, xmax), classes [1, D·K], scores [1, D·K] and count [1], D =
// max_detections, K = max_classes_per_detection. Options: a FlexBuffer map in custom_options.
// The anchors are dequantized here; decoding and NMS run in assembly/kernels/detection_postprocess.ts.
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import { FlexMap } from "../tflite/flexbuffer.js";
import { type OpDefinition, expectCounts, expectRank, fail, floatBits, input, kernelStep, output, storeParams } from "./context.js";
import { storageShift } from "./quantization.js";

/** Field order of DetectionParams in assembly/kernels/detection_postprocess.ts. */
const FIELDS = [
  "boxes", "boxStride", "boxFloat", "boxOffset", "boxScale",
  "scores", "scoreFloat", "scoreOffset", "scoreScale", "scoreZeroTimesScale",
  "anchors",
  "numBoxes", "numClasses", "classesWithBackground", "labelOffset",
  "maxDetections", "maxClassesPerDetection", "detectionsPerClass", "regular",
  "scoreThreshold", "iouThreshold",
  "yScale", "xScale", "hScale", "wScale",
  "outBoxes", "outClasses", "outScores", "outCount", "outSlots",
  "decoded", "anchorScores", "keepIndices", "keepScores", "order", "orderTemp",
  "topClasses", "classHeap", "selected", "mergedIndex", "mergedScore", "tempIndex", "tempScore",
  "floatScores",
] as const;

/** detections_per_class when the options leave it out. */
const DEFAULT_DETECTIONS_PER_CLASS = 100;

interface Options {
  maxDetections: number;
  maxClassesPerDetection: number;
  detectionsPerClass: number;
  regular: boolean;
  scoreThreshold: number;
  iouThreshold: number;
  numClasses: number;
  yScale: number;
  xScale: number;
  hScale: number;
  wScale: number;
}

/** The options as detection_postprocess.cc's Init reads them (absent numbers are 0). */
function readOptions(op: GraphOp): Options {
  const bytes = op.customOptions;
  if (bytes === null || bytes === undefined) fail(op, "has no custom options");
  let m: FlexMap;
  try {
    m = FlexMap.read(bytes);
  } catch (error) {
    fail(op, (error as Error).message);
  }
  const o = {
    maxDetections: m.int32("max_detections"),
    maxClassesPerDetection: m.int32("max_classes_per_detection"),
    detectionsPerClass: m.isNull("detections_per_class") ? DEFAULT_DETECTIONS_PER_CLASS : m.int32("detections_per_class"),
    regular: m.isNull("use_regular_nms") ? false : m.bool("use_regular_nms"),
    scoreThreshold: m.float("nms_score_threshold"),
    iouThreshold: m.float("nms_iou_threshold"),
    numClasses: m.int32("num_classes"),
    yScale: m.float("y_scale"),
    xScale: m.float("x_scale"),
    hScale: m.float("h_scale"),
    wScale: m.float("w_scale"),
  };
  // The checks TFLite makes before (Prepare) or while (Eval) it runs.
  if (o.maxDetections < 0) fail(op, `max_detections ${o.maxDetections} is negative`);
  if (!(o.iouThreshold > 0 && o.iouThreshold <= 1)) fail(op, `nms_iou_threshold ${o.iouThreshold} is not in (0, 1]`);
  if (o.numClasses < 1) fail(op, `num_classes ${o.numClasses} must be positive`);
  if (o.regular ? Math.min(o.detectionsPerClass, o.maxDetections) <= 0 : o.maxClassesPerDetection <= 0) {
    fail(op, o.regular ? "detections_per_class and max_detections must be positive" : "max_classes_per_detection must be positive");
  }
  const slots = o.maxDetections * Math.max(o.maxClassesPerDetection, 1);
  if (slots > 1 << 20) fail(op, `${slots} detection slots are too many`);
  return o;
}

/** uint8 (quantized per tensor) or float32. */
function expectScoresType(op: GraphOp, t: GraphTensor, what: string): boolean {
  if (t.dtype === "float32") return true;
  if (t.dtype !== "uint8") fail(op, `${what} "${t.name}" is ${t.dtype}; TFLite runs this op on uint8 or float32 only`);
  if (t.scale.length !== 1) fail(op, `${what} "${t.name}" must be quantized with one scale and zero point`);
  return false;
}

export const detectionPostprocess: OpDefinition = {
  maxVersion: 1,
  outputShapes(op) {
    const o = readOptions(op);
    const slots = o.maxDetections * o.maxClassesPerDetection;
    return [[1, slots, 4], [1, slots], [1, slots], [1]];
  },
  prepare(ctx) {
    const { op, memory } = ctx;
    expectCounts(op, 3, 4);
    const o = readOptions(op);
    const boxes = input(op, 0);
    const scores = input(op, 1);
    const anchors = input(op, 2);
    expectRank(op, boxes, 3, "box encodings");
    expectRank(op, scores, 3, "class predictions");
    expectRank(op, anchors, 2, "anchors");
    for (const [t, what] of [[boxes, "box encodings"], [scores, "class predictions"]] as const) {
      if (t.data !== null) fail(op, `${what} "${t.name}" is a constant, which is not supported here`);
    }
    const boxFloat = expectScoresType(op, boxes, "box encodings");
    const scoreFloat = expectScoresType(op, scores, "class predictions");
    const [batch, numBoxes, boxStride] = boxes.shape;
    if (batch !== 1) fail(op, `box encodings have batch ${batch}; expected 1`);
    if (boxStride < 4) fail(op, `box encodings have ${boxStride} values per box; expected at least 4`);
    const [scoreBatch, scoreBoxes, classesWithBackground] = scores.shape;
    if (scoreBatch !== 1 || scoreBoxes !== numBoxes) fail(op, `class predictions have shape [${scores.shape}]; expected [1, ${numBoxes}, classes]`);
    const labelOffset = classesWithBackground - o.numClasses;
    if (labelOffset !== 0 && labelOffset !== 1) fail(op, `class predictions have ${classesWithBackground} columns for num_classes ${o.numClasses}`);
    if (anchors.data === null) fail(op, `anchors "${anchors.name}" must be a constant tensor`);
    if (anchors.shape[0] !== numBoxes || anchors.shape[1] !== 4) fail(op, `anchors have shape [${anchors.shape}]; expected [${numBoxes}, 4]`);
    if (anchors.dtype !== (boxFloat ? "float32" : "uint8")) fail(op, `anchors are ${anchors.dtype}; with ${boxes.dtype} box encodings TFLite reads them as ${boxFloat ? "float32" : "uint8"}`);
    if (!boxFloat && anchors.scale.length !== 1) fail(op, `anchors "${anchors.name}" must be quantized with one scale and zero point`);
    const outs = [0, 1, 2, 3].map((k) => output(op, k, ["float32"]));

    // Anchors as float32 (y, x, h, w): DequantizeBoxEncodings' (float(q) - zero_point) * scale.
    const anchorValues = new Float32Array(numBoxes * 4);
    if (boxFloat) anchorValues.set(new Float32Array(anchors.data.slice().buffer));
    else anchorValues.forEach((_, i) => { anchorValues[i] = (anchors.data![i] - anchors.zeroPoint[0]) * Math.fround(anchors.scale[0]); });
    // ValidateBoxes: a negative anchor height or width makes ymin > ymax, which TFLite refuses.
    for (let i = 0; i < numBoxes; i++) {
      if (anchorValues[4 * i + 2] < 0 || anchorValues[4 * i + 3] < 0) fail(op, `anchor ${i} has a negative height or width`);
    }

    const k = Math.max(1, Math.min(o.maxClassesPerDetection, o.numClasses));
    const perClass = Math.min(o.detectionsPerClass, o.maxDetections);
    const merged = o.maxDetections + Math.max(perClass, 0);
    const words = (n: number) => memory.allocate(4 * Math.max(n, 1));
    const values = {
      boxes: ctx.address(boxes), boxStride, boxFloat: boxFloat ? 1 : 0,
      boxOffset: boxFloat ? 0 : storageShift(boxes) - boxes.zeroPoint[0], boxScale: boxFloat ? 0 : floatBits(boxes.scale[0]),
      scores: ctx.address(scores), scoreFloat: scoreFloat ? 1 : 0,
      scoreOffset: scoreFloat ? 0 : storageShift(scores) - scores.zeroPoint[0], scoreScale: scoreFloat ? 0 : floatBits(scores.scale[0]),
      scoreZeroTimesScale: scoreFloat ? 0 : floatBits(-scores.zeroPoint[0] * Math.fround(scores.scale[0])),
      anchors: memory.store(anchorValues),
      numBoxes, numClasses: o.numClasses, classesWithBackground, labelOffset,
      maxDetections: o.maxDetections, maxClassesPerDetection: o.maxClassesPerDetection, detectionsPerClass: perClass, regular: o.regular ? 1 : 0,
      scoreThreshold: floatBits(o.scoreThreshold), iouThreshold: floatBits(o.iouThreshold),
      yScale: floatBits(o.yScale), xScale: floatBits(o.xScale), hScale: floatBits(o.hScale), wScale: floatBits(o.wScale),
      outBoxes: ctx.address(outs[0]), outClasses: ctx.address(outs[1]), outScores: ctx.address(outs[2]), outCount: ctx.address(outs[3]),
      outSlots: o.maxDetections * o.maxClassesPerDetection,
      decoded: words(4 * numBoxes), anchorScores: words(numBoxes), keepIndices: words(numBoxes), keepScores: words(numBoxes),
      order: words(Math.max(numBoxes, merged)), orderTemp: words(Math.max(numBoxes, merged)),
      topClasses: words(numBoxes * k), classHeap: words(o.numClasses), selected: words(Math.max(o.maxDetections, perClass)),
      mergedIndex: words(merged), mergedScore: words(merged), tempIndex: words(merged), tempScore: words(merged),
      floatScores: scoreFloat ? ctx.address(scores) : words(scores.elementCount),
    };
    return kernelStep(ctx, "detection_postprocess", storeParams(memory, FIELDS, values));
  },
};
