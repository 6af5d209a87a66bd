// The ops quantlite runs, by TFLite builtin operator name.
import type { OpSupport } from "../graph/graph.js";
import { add } from "./add.js";
import { concatenation } from "./concatenation.js";
import type { OpDefinition } from "./context.js";
import { conv2d } from "./conv2d.js";
import { depthwiseConv2d } from "./depthwise_conv2d.js";
import { detectionPostprocess } from "./detection_postprocess.js";
import { dequantize } from "./dequantize.js";
import { fullyConnected } from "./fully_connected.js";
import { hardSwish } from "./hard_swish.js";
import { leakyRelu } from "./leaky_relu.js";
import { logistic } from "./logistic.js";
import { mean } from "./mean.js";
import { pad } from "./pad.js";
import { averagePool2d, maxPool2d } from "./pool.js";
import { quantize } from "./quantize.js";
import { relu, relu6, reluN1To1 } from "./relu.js";
import { reshape } from "./reshape.js";
import { softmax } from "./softmax.js";
import { rsqrt, sqrt } from "./sqrt.js";
import { tanh } from "./tanh.js";

export const OPS: ReadonlyMap<string, OpDefinition> = new Map([
  ["ADD", add],
  ["AVERAGE_POOL_2D", averagePool2d],
  ["CONCATENATION", concatenation],
  ["CONV_2D", conv2d],
  ["CUSTOM(TFLite_Detection_PostProcess)", detectionPostprocess],
  ["DEPTHWISE_CONV_2D", depthwiseConv2d],
  ["DEQUANTIZE", dequantize],
  ["FULLY_CONNECTED", fullyConnected],
  ["HARD_SWISH", hardSwish],
  ["LEAKY_RELU", leakyRelu],
  ["LOGISTIC", logistic],
  ["MAX_POOL_2D", maxPool2d],
  ["MEAN", mean],
  ["PAD", pad],
  ["QUANTIZE", quantize],
  ["RELU", relu],
  ["RELU6", relu6],
  ["RELU_N1_TO_1", reluN1To1],
  ["RESHAPE", reshape],
  ["RSQRT", rsqrt],
  ["SOFTMAX", softmax],
  ["SQRT", sqrt],
  ["TANH", tanh],
]);

export const opSupport: OpSupport = (type, version) => {
  const def = OPS.get(type);
  if (def === undefined) return "unsupported";
  return version >= 1 && version <= def.maxVersion ? "ok" : "version";
};
