// warm_up: runs the v128 kernels a model spends its time in on tiny inputs, many times, at load.
// V8 first runs a wasm function as quickly compiled baseline (Liftoff) code and replaces it with
// optimized (TurboFan) code once the function has used a budget of work; a model's first
// inference would otherwise spend most of its time in baseline code, about twice as slow. The
// tiny calls use up the budget in a millisecond or two and leave the optimization to a background
// thread while the host finishes loading. The depthwise call takes the doubled-accumulator f64
// step with clamping, whose row loop is a function of its own (MobileNet's case); the add calls
// take both functions of its split path (input 1's multiplier 0, then 1). Results only
// land in `scratch` (the host passes the activation arena, unused until the first inference;
// WARM_UP_BYTES of it).
import { Conv2DParams, conv2d } from "./conv2d";
import { DepthwiseConv2DParams, depthwise_conv2d } from "./depthwise_conv2d";
import { DOUBLED_BLOCK_BYTES, REQUANT_HEADER_BYTES } from "../requant";
import { AddParams, add } from "./add";
import { FullyConnectedParams, fully_connected } from "./fully_connected";

export const WARM_UP_BYTES: usize = 8192;

export function warm_up(scratch: usize, rounds: i32): void {
  memory.fill(scratch, 0, WARM_UP_BYTES);
  const data = scratch + 512; // inputs, filters, tables, outputs: all zero, 4 × 16 × 16 values at most

  const c = changetype<Conv2DParams>(scratch);
  c.input = <i32>data; c.batches = 1; c.inputHeight = 1; c.inputWidth = 4; c.inputChannels = 8;
  c.filter = <i32>data; c.filterHeight = 1; c.filterWidth = 1; c.bias = <i32>data;
  c.output = <i32>(data + 2048); c.outputHeight = 1; c.outputWidth = 4; c.outputChannels = 8;
  c.strideHeight = 1; c.strideWidth = 1; c.dilationHeight = 1; c.dilationWidth = 1;
  c.multipliers = <i32>data; c.shifts = <i32>data; c.activationMin = -128; c.activationMax = 127;
  c.requant = <i32>data; c.scratch = <i32>(data + 2560);

  const d = changetype<DepthwiseConv2DParams>(scratch + 128);
  d.input = <i32>data; d.batches = 1; d.inputHeight = 3; d.inputWidth = 3; d.inputChannels = 16;
  d.filter = <i32>data; d.filterHeight = 3; d.filterWidth = 3; d.depthMultiplier = 1; d.bias = <i32>data;
  d.output = <i32>(data + 2048); d.outputHeight = 3; d.outputWidth = 3; d.outputChannels = 16;
  d.strideHeight = 1; d.strideWidth = 1; d.dilationHeight = 1; d.dilationWidth = 1; d.padTop = 1; d.padLeft = 1;
  d.multipliers = <i32>data; d.shifts = <i32>data; d.activationMin = 0; d.activationMax = 127;
  d.scratch = <i32>(data + 2560);
  const table = scratch + 4096; // header, then two blocks of 8 channels of the f64 step
  d.requant = <i32>table; d.requantMode = 1;
  store<i32>(table + REQUANT_HEADER_BYTES, -2, 160);
  store<i32>(table + REQUANT_HEADER_BYTES + DOUBLED_BLOCK_BYTES, -2, 160);

  const a = changetype<AddParams>(scratch + 256);
  a.input1 = <i32>data; a.input2 = <i32>data; a.output = <i32>(data + 2048);
  a.dim0 = 1; a.dim1 = 1; a.dim2 = 1; a.dim3 = 32; a.input1Stride3 = 1; a.input2Stride3 = 1;
  a.leftShift = 20; a.outputShift = -1; a.activationMin = -128; a.activationMax = 127;

  const f = changetype<FullyConnectedParams>(scratch + 384);
  f.input = <i32>data; f.batches = 1; f.depth = 16; f.filter = <i32>data; f.filterOffsets = <i32>data; f.bias = <i32>data;
  f.output = <i32>(data + 2048); f.outputChannels = 8; f.multipliers = <i32>data; f.shifts = <i32>data;
  f.activationMin = -128; f.activationMax = 127; f.requant = <i32>data; f.scratch = <i32>(data + 2560);

  for (let i = 0; i < rounds; i++) {
    conv2d(scratch);
    depthwise_conv2d(scratch + 128);
    a.input1Multiplier = 0;
    add(scratch + 256);
    a.input1Multiplier = 1;
    add(scratch + 256);
    fully_connected(scratch + 384);
  }
}
