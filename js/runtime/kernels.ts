// The typed export surface of quantlite.wasm (assembly/index.ts) and its instantiation.
// Every kernel takes pointers into the instance's own memory; the op kernels take one pointer, to
// their parameter block, and are put in the function table the module imports, for run_program.

/** Ops with a v128 kernel `<op>` next to the scalar `<op>_ref`, both taking the same parameter block. */
export type SimdKernelName =
  | "conv2d" | "depthwise_conv2d" | "fully_connected" | "add" | "mean" | "softmax"
  | "conv2d_f32" | "depthwise_conv2d_f32" | "fully_connected_f32" | "add_f32" | "mean_f32"
  | "average_pool2d_f32" | "max_pool2d_f32" | "softmax_f32" | "mul" | "binary_f32"
  | "resize_bilinear" | "resize_bilinear_f32" | "transpose_conv" | "transpose_conv_f32" | "reduce" | "hybrid_conv"
  | "unary_f32" | "strided_copy";

type ParamsKernels = { [K in SimdKernelName | `${SimdKernelName}_ref`]: (params: number) => void };

/** Which kernel of those ops a model runs: the v128 one (default) or the scalar reference. */
export type KernelSet = "simd" | "scalar";

export interface KernelExports extends ParamsKernels {
  memory: WebAssembly.Memory;
  heap_base(): number;
  average_pool2d_ref(params: number): void;
  max_pool2d_ref(params: number): void;
  /** assembly/kernels/softmax.ts: fills the softmax kernel's table for its parameter block (at load). */
  softmax_exp_table(params: number): void;
  lookup_int8(params: number): void;
  lookup_float32(params: number): void;
  cast(params: number): void;
  l2_normalization(params: number): void;
  log_softmax_f32(params: number): void;
  quantize_float32(params: number): void;
  pad_ref(params: number): void;
  resize_nearest_neighbor(params: number): void;
  copy_blocks(params: number): void;
  fill_pattern(params: number): void;
  add_bytes(params: number): void;
  gather(params: number): void;
  gather_nd(params: number): void;
  reduce_finish(params: number): void;
  arg_min_max(params: number): void;
  flip_sign_bits(ptr: number, count: number): void;
  /** Runs `count` (table index, parameter block) pairs of int32 at program (assembly/program.ts). */
  run_program(program: number, count: number): void;
  /** The function table index of every kernel that takes a parameter block, by export name. */
  programIndex: ReadonlyMap<string, number>;
  /** assembly/kernels/pack.ts: `signed` 1 for int8 weights, 0 for uint8; channelTable: (zeroPoint, factor) int32 pairs per channel. */
  weight_sums(src: number, signed: number, channelTable: number, firstChannel: number, sums: number, absSums: number, channels: number, count: number, channelStride: number, weightStride: number): void;
  pack_conv_filter(src: number, signed: number, channelTable: number, dst: number, first: number, count: number, depth: number): void;
  pack_depthwise_filter(src: number, signed: number, channelTable: number, dst: number, taps: number, channels: number): void;
  pack_fully_connected_filter(src: number, signed: number, channelTable: number, dst: number, offsets: number, first: number, count: number, depth: number): void;
  /** assembly/kernels/multipliers.ts: perChannel and floatProduct are 0 or 1. */
  channel_multipliers(inputScale: number, filterScales: number, perChannel: number, outputScale: number, floatProduct: number, multipliers: number, shifts: number, channels: number): void;
  /** assembly/kernels/requant_table.ts: 1 and the table written when the doubled-accumulator step applies, else 0. */
  requant_table(bias: number, multipliers: number, shifts: number, bounds: number, count: number, channels: number, outputOffset: number, allowF64: number, activationMin: number, activationMax: number, table: number, constant: number): number;
  /** Runs the main v128 kernels `rounds` times on tiny inputs in 4096 bytes at scratch (assembly/kernels/warmup.ts). */
  warm_up(scratch: number, rounds: number): void;
  /**
   * assembly/jpeg/entropy.ts and progressive.ts: decode `mcus` MCUs of a JPEG scan into DCT
   * coefficient blocks, resuming from and updating the state block (layout in entropy.ts).
   */
  jpeg_decode_sequential(state: number, mcus: number): void;
  jpeg_decode_dc_first(state: number, mcus: number): void;
  jpeg_decode_dc_refine(state: number, mcus: number): void;
  jpeg_decode_ac_first(state: number, mcus: number): void;
  jpeg_decode_ac_refine(state: number, mcus: number): void;
  /**
   * assembly/jpeg/idct.ts: libjpeg-turbo's ISLOW inverse DCT of `blocks` coefficient blocks (64 i16,
   * natural order, 128 bytes apart) with quant (64 i32); block i's size×size samples at
   * out + i·size + row·outStride; size 1–8, 10, 12 or 14.
   */
  jpeg_idct(coef: number, quant: number, blocks: number, out: number, outStride: number, size: number): void;
  jpeg_idct_ref(coef: number, quant: number, blocks: number, out: number, outStride: number, size: number): void;
  /**
   * upsample.ts and color.ts: one row each, pointers to u8 rows read up to 16 bytes past their
   * ends; the v128 kernels write up to 15 bytes past theirs. `lower` is 0 for the upper of the two
   * output rows an input row gives, 1 for the lower one. Colour rows are interleaved RGB.
   */
  jpeg_h2v1_fancy(input: number, out: number, inWidth: number): void;
  jpeg_h2v1_fancy_ref(input: number, out: number, inWidth: number): void;
  jpeg_h2v2_fancy(near: number, far: number, out: number, inWidth: number, lower: number): void;
  jpeg_h2v2_fancy_ref(near: number, far: number, out: number, inWidth: number, lower: number): void;
  jpeg_h1v2_fancy(near: number, far: number, out: number, width: number, lower: number): void;
  jpeg_h1v2_fancy_ref(near: number, far: number, out: number, width: number, lower: number): void;
  jpeg_replicate(input: number, out: number, inWidth: number, factor: number): void;
  jpeg_replicate_ref(input: number, out: number, inWidth: number, factor: number): void;
  jpeg_ycc_rgb(y: number, cb: number, cr: number, out: number, width: number): void;
  jpeg_ycc_rgb_ref(y: number, cb: number, cr: number, out: number, width: number): void;
  jpeg_gray_rgb(y: number, out: number, width: number): void;
  jpeg_gray_rgb_ref(y: number, out: number, width: number): void;
  jpeg_rgb_rgb(r: number, g: number, b: number, out: number, width: number): void;
  jpeg_rgb_rgb_ref(r: number, g: number, b: number, out: number, width: number): void;
  /** ycck 1: the first three planes are Y, Cb, Cr (Adobe YCCK). */
  jpeg_cmyk_rgb(c: number, m: number, y: number, k: number, out: number, width: number, ycck: number): void;
  jpeg_cmyk_rgb_ref(c: number, m: number, y: number, k: number, out: number, width: number, ycck: number): void;
  /**
   * assembly/jpeg/smoothing.ts: libjpeg's progressive block smoothing of the first `blocks` blocks
   * of block row `cur` (neighbour rows prevPrev..nextNext as libjpeg picks them; quant i32[64];
   * coefBits i32[10], the latched coef_bits) into `out`.
   */
  jpeg_smooth_row(prevPrev: number, prev: number, cur: number, next: number, nextNext: number, blocks: number, quant: number, coefBits: number, out: number): void;
  /** assembly/kernels/binary.ts: the binary elementwise ops without a v128 kernel (the operation is a parameter). */
  binary_i32(params: number): void;
  binary_q8(params: number): void;
  /** assembly/kernels/hybrid.ts: quantizes a hybrid op's float32 input (js/ops/hybrid.ts). */
  hybrid_quantize(params: number): void;
  /** assembly/kernels/detection_postprocess.ts: TFLite_Detection_PostProcess's decoding and NMS. */
  detection_postprocess(params: number): void;
  /** assembly/kernels/log_softmax.ts: 8-bit LOG_SOFTMAX (its block starts with a SOFTMAX one, table filled). */
  log_softmax(params: number): void;
}

/** One fresh instance (own memory) per model. */
export async function instantiateKernels(module: WebAssembly.Module): Promise<KernelExports> {
  return instantiateWithTable(module, {});
}

/**
 * Instantiates the module with `env` imports plus a function table, then puts every export that
 * takes exactly one argument (a parameter block: the op kernels) in the table.
 */
export async function instantiateWithTable(module: WebAssembly.Module, env: Record<string, WebAssembly.ImportValue>): Promise<KernelExports> {
  const table = new WebAssembly.Table({ element: "anyfunc", initial: 1 });
  const instance = await WebAssembly.instantiate(module, { env: { ...env, table } });
  const programIndex = new Map<string, number>();
  for (const [name, value] of Object.entries(instance.exports)) {
    if (typeof value !== "function" || value.length !== 1) continue;
    programIndex.set(name, table.grow(1));
    table.set(programIndex.get(name)!, value);
  }
  return { ...(instance.exports as unknown as KernelExports), programIndex };
}
