// The ops quantlite runs, by TFLite builtin operator name.
import type { OpSupport } from "../graph/graph.js";
import { add } from "./add.js";
import { concatenation } from "./concatenation.js";
import type { OpDefinition } from "./context.js";
import { conv2d } from "./conv2d.js";
import { depthwiseConv2d } from "./depthwise_conv2d.js";
import { dequantize } from "./dequantize.js";
import { fullyConnected } from "./fully_connected.js";
import { mean } from "./mean.js";
import { pad } from "./pad.js";
import { averagePool2d, maxPool2d } from "./pool.js";
import { quantize } from "./quantize.js";
import { reshape } from "./reshape.js";
import { softmax } from "./softmax.js";
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
  ["AVERAGE_POOL_2D", averagePool2d],
  ["BATCH_TO_SPACE_ND", batchToSpaceNd],
  ["CONCATENATION", concatenation],
  ["CONV_2D", conv2d],
  ["DEPTHWISE_CONV_2D", depthwiseConv2d],
  ["DEPTH_TO_SPACE", depthToSpace],
  ["DEQUANTIZE", dequantize],
  ["EXPAND_DIMS", expandDims],
  ["FULLY_CONNECTED", fullyConnected],
  ["MAX_POOL_2D", maxPool2d],
  ["MEAN", mean],
  ["PACK", pack],
  ["PAD", pad],
  ["QUANTIZE", quantize],
  ["RESHAPE", reshape],
  ["SHAPE", shape],
  ["SLICE", slice],
  ["SOFTMAX", softmax],
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
