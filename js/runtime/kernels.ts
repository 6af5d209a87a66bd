// The typed export surface of quantlite.wasm (assembly/index.ts) and its instantiation.
// Every kernel takes pointers into the instance's own memory.

/** Ops with a v128 kernel `<op>` next to the scalar `<op>_ref`, both taking the same parameter block. */
export type SimdKernelName =
  | "conv2d" | "depthwise_conv2d" | "fully_connected" | "add" | "mean"
  | "conv2d_f32" | "depthwise_conv2d_f32" | "fully_connected_f32" | "add_f32" | "mean_f32"
  | "average_pool2d_f32" | "max_pool2d_f32" | "softmax_f32";

type ParamsKernels = { [K in SimdKernelName | `${SimdKernelName}_ref`]: (params: number) => void };

/** Which kernel of those ops a model runs: the v128 one (default) or the scalar reference. */
export type KernelSet = "simd" | "scalar";

export interface KernelExports extends ParamsKernels {
  memory: WebAssembly.Memory;
  heap_base(): number;
  average_pool2d_ref(params: number): void;
  max_pool2d_ref(params: number): void;
  softmax_ref(params: number): void;
  lookup_int8(input: number, output: number, count: number, table: number): void;
  lookup_float32(input: number, output: number, count: number, table: number): void;
  quantize_float32(input: number, output: number, count: number, scale: number, zeroPoint: number): void;
  pad_ref(params: number): void;
  copy_blocks(input: number, output: number, blocks: number, blockBytes: number, outStride: number, table: number): void;
  fill_pattern(output: number, count: number, pattern: number, patternBytes: number): void;
  flip_sign_bits(ptr: number, count: number): void;
  add_bytes(input: number, output: number, count: number, delta: number): void;
  /** assembly/kernels/pack.ts: `signed` 1 for int8 weights, 0 for uint8; channelTable: (zeroPoint, factor) int32 pairs per channel. */
  weight_sums(src: number, signed: number, channelTable: number, firstChannel: number, sums: number, absSums: number, channels: number, count: number, channelStride: number, weightStride: number): void;
  pack_conv_filter(src: number, signed: number, channelTable: number, dst: number, first: number, count: number, depth: number): void;
  pack_depthwise_filter(src: number, signed: number, channelTable: number, dst: number, taps: number, channels: number): void;
  /** assembly/kernels/multipliers.ts: perChannel and floatProduct are 0 or 1. */
  channel_multipliers(inputScale: number, filterScales: number, perChannel: number, outputScale: number, floatProduct: number, multipliers: number, shifts: number, channels: number): void;
  /** assembly/kernels/requant_table.ts: 1 and the table written when the doubled-accumulator step applies, else 0. */
  requant_table(bias: number, multipliers: number, shifts: number, bounds: number, count: number, channels: number, outputOffset: number, allowF64: number, activationMin: number, activationMax: number, table: number, constant: number): number;
  centre_filter(src: number, signed: number, channelTable: number, dst: number, first: number, count: number, rowLength: number): void;
  /** Runs the main v128 kernels `rounds` times on tiny inputs in 4096 bytes at scratch (assembly/kernels/warmup.ts). */
  warm_up(scratch: number, rounds: number): void;
}

/** One fresh instance (own memory) per model. */
export async function instantiateKernels(module: WebAssembly.Module): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as KernelExports;
}
