// The ops quantlite runs, by TFLite builtin operator name.
import type { OpSupport } from "../graph/graph.js";
import { add } from "./add.js";
import { argMax, argMin } from "./arg_min_max.js";
import { cast } from "./cast.js";
import { concatenation } from "./concatenation.js";
import type { OpDefinition } from "./context.js";
import { conv2d } from "./conv2d.js";
import { depthwiseConv2d } from "./depthwise_conv2d.js";
import { detectionPostprocess } from "./detection_postprocess.js";
import { dequantize } from "./dequantize.js";
import { div } from "./div.js";
import { floorDiv, floorMod } from "./floor_div_mod.js";
import { fullyConnected } from "./fully_connected.js";
import { maximum, minimum } from "./maximum_minimum.js";
import { gather } from "./gather.js";
import { gatherNd } from "./gather_nd.js";
import { hardSwish } from "./hard_swish.js";
import { l2Normalization } from "./l2_normalization.js";
import { leakyRelu } from "./leaky_relu.js";
import { logSoftmax } from "./log_softmax.js";
import { logistic } from "./logistic.js";
import { mean } from "./mean.js";
import { mul } from "./mul.js";
import { pad } from "./pad.js";
import { averagePool2d, maxPool2d } from "./pool.js";
import { prelu } from "./prelu.js";
import { quantize } from "./quantize.js";
import { reduceMax, reduceMin, sum } from "./reduce.js";
import { relu, relu6, reluN1To1 } from "./relu.js";
import { reshape } from "./reshape.js";
import { resizeBilinear } from "./resize_bilinear.js";
import { resizeNearestNeighbor } from "./resize_nearest_neighbor.js";
import { softmax } from "./softmax.js";
import { squaredDifference } from "./squared_difference.js";
import { sub } from "./sub.js";
import { transposeConv } from "./transpose_conv.js";
import { rsqrt, sqrt } from "./sqrt.js";
import { tanh } from "./tanh.js";
import { batchToSpaceNd } from "./batch_to_space_nd.js";
import { depthToSpace } from "./depth_to_space.js";
import { expandDims } from "./expand_dims.js";
import { pack } from "./pack.js";
import { shape } from "./shape.js";
import { slice } from "./slice.js";
import { spaceToBatchNd } from "./space_to_batch_nd.js";
import { spaceToDepth } from "./space_to_depth.js";
import { split } from "./split.js";
import { splitV } from "./split_v.js";
import { squeeze } from "./squeeze.js";
import { stridedSlice } from "./strided_slice.js";
import { tile } from "./tile.js";
import { transpose } from "./transpose.js";
import { unpack } from "./unpack.js";

export const OPS: ReadonlyMap<string, OpDefinition> = new Map([
  ["ADD", add],
  ["ARG_MAX", argMax],
  ["ARG_MIN", argMin],
  ["AVERAGE_POOL_2D", averagePool2d],
  ["CAST", cast],
  ["BATCH_TO_SPACE_ND", batchToSpaceNd],
  ["CONCATENATION", concatenation],
  ["CONV_2D", conv2d],
  ["CUSTOM(TFLite_Detection_PostProcess)", detectionPostprocess],
  ["DEPTHWISE_CONV_2D", depthwiseConv2d],
  ["DEPTH_TO_SPACE", depthToSpace],
  ["DEQUANTIZE", dequantize],
  ["DIV", div],
  ["FLOOR_DIV", floorDiv],
  ["FLOOR_MOD", floorMod],
  ["EXPAND_DIMS", expandDims],
  ["FULLY_CONNECTED", fullyConnected],
  ["MAXIMUM", maximum],
  ["GATHER", gather],
  ["GATHER_ND", gatherNd],
  ["HARD_SWISH", hardSwish],
  ["L2_NORMALIZATION", l2Normalization],
  ["LEAKY_RELU", leakyRelu],
  ["LOG_SOFTMAX", logSoftmax],
  ["LOGISTIC", logistic],
  ["MAX_POOL_2D", maxPool2d],
  ["MEAN", mean],
  ["MINIMUM", minimum],
  ["MUL", mul],
  ["PACK", pack],
  ["PAD", pad],
  ["PRELU", prelu],
  ["QUANTIZE", quantize],
  ["REDUCE_MAX", reduceMax],
  ["REDUCE_MIN", reduceMin],
  ["RESHAPE", reshape],
  ["RESIZE_BILINEAR", resizeBilinear],
  ["RESIZE_NEAREST_NEIGHBOR", resizeNearestNeighbor],
  ["SOFTMAX", softmax],
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

export const opSupport: OpSupport = (type, version) => {
  const def = OPS.get(type);
  if (def === undefined) return "unsupported";
  return version >= 1 && version <= def.maxVersion ? "ok" : "version";
};
