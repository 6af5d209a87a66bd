// The operators beyond those of image classifiers (registry.ts): registered at import by the
// default entries (use-extra-ops.ts), loaded on demand by the browser one.
import type { OpDefinition } from "./context.js";
import { argMax, argMin } from "./arg_min_max.js";
import { batchToSpaceNd } from "./batch_to_space_nd.js";
import { cast } from "./cast.js";
import { depthToSpace } from "./depth_to_space.js";
import { detectionPostprocess } from "./detection_postprocess.js";
import { div } from "./div.js";
import { expandDims } from "./expand_dims.js";
import { floorDiv, floorMod } from "./floor_div_mod.js";
import { gather } from "./gather.js";
import { gatherNd } from "./gather_nd.js";
import { hardSwish } from "./hard_swish.js";
import { l2Normalization } from "./l2_normalization.js";
import { leakyRelu } from "./leaky_relu.js";
import { logSoftmax } from "./log_softmax.js";
import { logistic } from "./logistic.js";
import { maximum, minimum } from "./maximum_minimum.js";
import { mul } from "./mul.js";
import { pack } from "./pack.js";
import { prelu } from "./prelu.js";
import { reduceMax, reduceMin, sum } from "./reduce.js";
import { relu, relu6, reluN1To1 } from "./relu.js";
import { resizeBilinear } from "./resize_bilinear.js";
import { resizeNearestNeighbor } from "./resize_nearest_neighbor.js";
import { shape } from "./shape.js";
import { slice } from "./slice.js";
import { spaceToBatchNd } from "./space_to_batch_nd.js";
import { spaceToDepth } from "./space_to_depth.js";
import { split } from "./split.js";
import { splitV } from "./split_v.js";
import { rsqrt, sqrt } from "./sqrt.js";
import { squaredDifference } from "./squared_difference.js";
import { squeeze } from "./squeeze.js";
import { stridedSlice } from "./strided_slice.js";
import { sub } from "./sub.js";
import { tanh } from "./tanh.js";
import { tile } from "./tile.js";
import { transpose } from "./transpose.js";
import { transposeConv } from "./transpose_conv.js";
import { unpack } from "./unpack.js";

export const EXTRA_OPS: ReadonlyMap<string, OpDefinition> = new Map([
  ["ARG_MAX", argMax],
  ["ARG_MIN", argMin],
  ["CAST", cast],
  ["BATCH_TO_SPACE_ND", batchToSpaceNd],
  ["CUSTOM(TFLite_Detection_PostProcess)", detectionPostprocess],
  ["DEPTH_TO_SPACE", depthToSpace],
  ["DIV", div],
  ["FLOOR_DIV", floorDiv],
  ["FLOOR_MOD", floorMod],
  ["EXPAND_DIMS", expandDims],
  ["MAXIMUM", maximum],
  ["GATHER", gather],
  ["GATHER_ND", gatherNd],
  ["HARD_SWISH", hardSwish],
  ["L2_NORMALIZATION", l2Normalization],
  ["LEAKY_RELU", leakyRelu],
  ["LOG_SOFTMAX", logSoftmax],
  ["LOGISTIC", logistic],
  ["MINIMUM", minimum],
  ["MUL", mul],
  ["PACK", pack],
  ["PRELU", prelu],
  ["REDUCE_MAX", reduceMax],
  ["REDUCE_MIN", reduceMin],
  ["RESIZE_BILINEAR", resizeBilinear],
  ["RESIZE_NEAREST_NEIGHBOR", resizeNearestNeighbor],
  ["SQUARED_DIFFERENCE", squaredDifference],
  ["SUB", sub],
  ["TRANSPOSE_CONV", transposeConv],
  ["SUM", sum],
  ["RELU", relu],
  ["RELU6", relu6],
  ["RELU_N1_TO_1", reluN1To1],
  ["RSQRT", rsqrt],
  ["SQRT", sqrt],
  ["TANH", tanh],
  ["SHAPE", shape],
  ["SLICE", slice],
  ["SPACE_TO_BATCH_ND", spaceToBatchNd],
  ["SPACE_TO_DEPTH", spaceToDepth],
  ["SPLIT", split],
  ["SPLIT_V", splitV],
  ["SQUEEZE", squeeze],
  ["STRIDED_SLICE", stridedSlice],
  ["TILE", tile],
  ["TRANSPOSE", transpose],
  ["UNPACK", unpack],
]);
