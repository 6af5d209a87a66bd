// The only export surface of quantlite.wasm. Memory belongs to the host: it lays out weights,
// parameters and activations from heap_base() upwards and grows the memory itself. The function
// table is imported too (env.table): the host puts the parameter-block kernels in it for
// run_program.
// Each op with a v128 kernel exports it as `<op>` next to its scalar reference `<op>_ref`; both
// take the same parameter block.
export { conv2d, conv2d_ref } from "./kernels/conv2d";
export { depthwise_conv2d, depthwise_conv2d_ref } from "./kernels/depthwise_conv2d";
export { fully_connected, fully_connected_ref } from "./kernels/fully_connected";
export { add, add_ref } from "./kernels/add";
export { average_pool2d_ref, max_pool2d_ref } from "./kernels/pool";
export { mean, mean_ref } from "./kernels/mean";
export { softmax, softmax_exp_table, softmax_ref } from "./kernels/softmax";
export { lookup_int8, lookup_float32 } from "./kernels/lookup";
export { quantize_float32 } from "./kernels/quantize";
export { pad_ref } from "./kernels/pad";
export { add_bytes, copy_blocks, fill_pattern, flip_sign_bits } from "./kernels/copy";
export { pack_conv_filter, pack_depthwise_filter, pack_fully_connected_filter, weight_sums } from "./kernels/pack";
export { channel_multipliers } from "./kernels/multipliers";
export { requant_table } from "./kernels/requant_table";
export { warm_up } from "./kernels/warmup";
export { run_program } from "./program";
// float32 models: the same pairs, `<op>_f32` and `<op>_f32_ref`.
export { conv2d_f32, conv2d_f32_ref } from "./kernels/conv2d_f32";
export { depthwise_conv2d_f32, depthwise_conv2d_f32_ref } from "./kernels/depthwise_conv2d_f32";
export { fully_connected_f32, fully_connected_f32_ref } from "./kernels/fully_connected_f32";
export { add_f32, add_f32_ref } from "./kernels/add_f32";
export { mean_f32, mean_f32_ref } from "./kernels/mean_f32";
export { average_pool2d_f32, average_pool2d_f32_ref, max_pool2d_f32, max_pool2d_f32_ref } from "./kernels/pool_f32";
export { softmax_f32, softmax_f32_ref } from "./kernels/softmax_f32";
// Dynamic-range (hybrid) CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED (js/ops/hybrid.ts).
export { hybrid_quantize, hybrid_conv, hybrid_conv_ref } from "./kernels/hybrid";
export { unary_f32, unary_f32_ref } from "./kernels/unary_f32";
export { cast } from "./kernels/cast";
export { l2_normalization } from "./kernels/l2_normalization";
export { log_softmax_f32 } from "./kernels/log_softmax";
// Data-movement ops (TRANSPOSE, STRIDED_SLICE, PACK, SPLIT, TILE, …): one N-d strided copy.
export { strided_copy, strided_copy_ref } from "./kernels/strided_copy";

/** First byte the host may use. */
export function heap_base(): usize {
  return __heap_base;
}
// JPEG decoding (js/preprocess/jpeg): Huffman-coded scans to quantized DCT coefficients.
export { jpeg_decode_sequential } from "./jpeg/entropy";
export { jpeg_decode_ac_first, jpeg_decode_ac_refine, jpeg_decode_dc_first, jpeg_decode_dc_refine } from "./jpeg/progressive";
// JPEG decoding: upsampling and colour conversion rows (assembly/jpeg/upsample.ts, color.ts).
export {
  jpeg_h2v1_fancy, jpeg_h2v1_fancy_ref, jpeg_h2v2_fancy, jpeg_h2v2_fancy_ref, jpeg_h1v2_fancy, jpeg_h1v2_fancy_ref,
  jpeg_replicate, jpeg_replicate_ref,
} from "./jpeg/upsample";
export {
  jpeg_ycc_rgb, jpeg_ycc_rgb_ref, jpeg_gray_rgb, jpeg_gray_rgb_ref, jpeg_rgb_rgb, jpeg_rgb_rgb_ref, jpeg_cmyk_rgb,
  jpeg_cmyk_rgb_ref,
} from "./jpeg/color";
export { jpeg_idct, jpeg_idct_ref } from "./jpeg/idct";
// JPEG decoding: progressive block smoothing (assembly/jpeg/smoothing.ts).
export { jpeg_smooth_row } from "./jpeg/smoothing";
// Binary elementwise ops (assembly/kernels/binary.ts, mul.ts).
export { mul, mul_ref } from "./kernels/mul";
export { binary_f32, binary_f32_ref, binary_i32, binary_q8 } from "./kernels/binary";
// RESIZE_BILINEAR (int8; float32 and uint8) and RESIZE_NEAREST_NEIGHBOR (any dtype).
export { resize_bilinear, resize_bilinear_f32, resize_bilinear_f32_ref, resize_bilinear_ref } from "./kernels/resize_bilinear";
export { resize_nearest_neighbor } from "./kernels/resize_nearest_neighbor";
// TRANSPOSE_CONV (int8 and uint8; float32).
export { transpose_conv, transpose_conv_f32, transpose_conv_f32_ref, transpose_conv_ref } from "./kernels/transpose_conv";
// Gathers, reductions and arg max / min (assembly/kernels/gather.ts, gather_nd.ts, reduce.ts, arg_min_max.ts).
export { gather } from "./kernels/gather";
export { gather_nd } from "./kernels/gather_nd";
export { reduce, reduce_ref, reduce_finish } from "./kernels/reduce";
export { arg_min_max } from "./kernels/arg_min_max";
// SSD detection post-processing (TFLite_Detection_PostProcess), one scalar kernel.
export { detection_postprocess } from "./kernels/detection_postprocess";
// LOG_SOFTMAX int8 (uint8 shifted), TFLite's fixed-point reference; reads the SOFTMAX exp table.
export { log_softmax } from "./kernels/log_softmax";
