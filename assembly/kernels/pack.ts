// Load-time weight preparation, in wasm so that a model's first load does not wait for the
// JavaScript tiers to warm up on millions of weights. The layouts are those of the plain
// JavaScript references in js/ops/weights.ts (packConvFilter, packDepthwiseFilter), which the
// tests compare them with. Every destination must be zero-filled (freshly allocated) memory.

/**
 * Per channel c < channels, Σ w and Σ |w| over its `count` weights (int16) at
 * src + 2·(c·channelStride + i·weightStride), into the int32 arrays sums and absSums.
 */
export function weight_sums(src: usize, sums: usize, absSums: usize, channels: i32, count: i32, channelStride: i32, weightStride: i32): void {
  for (let c = 0; c < channels; c++) {
    let sum = 0, abs = 0;
    let at = src + (<usize>(c * channelStride) << 1);
    const step = <usize>weightStride << 1;
    for (let i = 0; i < count; i++) {
      const w = <i32>load<i16>(at);
      sum += w;
      abs += w < 0 ? -w : w;
      at += step;
    }
    store<i32>(sums + (<usize>c << 2), sum);
    store<i32>(absSums + (<usize>c << 2), abs);
  }
}

/**
 * CONV_2D: output channels [first, first + count) of an (outC, depth) int16 filter, whose rows
 * start at src, times `scale`, into the (ceil(outC/8), ceil(depth/2), 8, 2) layout at dst
 * (assembly/kernels/conv2d.ts); `first` is a multiple of 8.
 */
export function pack_conv_filter(src: usize, dst: usize, first: i32, count: i32, depth: i32, scale: i32): void {
  const pairs = (depth + 1) >> 1;
  for (let j = 0; j < count; j++) {
    const oc = first + j;
    let at = dst + (<usize>((oc >> 3) * pairs * 16 + (oc & 7) * 2) << 1);
    let from = src + (<usize>(j * depth) << 1);
    let k = 0;
    for (; k + 1 < depth; k += 2) {
      store<i16>(at, <i32>load<i16>(from) * scale);
      store<i16>(at, <i32>load<i16>(from, 2) * scale, 2);
      at += 32;
      from += 4;
    }
    if (k < depth) store<i16>(at, <i32>load<i16>(from) * scale);
  }
}

/**
 * DEPTHWISE_CONV_2D: (taps, channels) int16 at src, times `scale`, to
 * (ceil(channels/16)·2, ceil(taps/2), 8, 2) at dst (assembly/kernels/depthwise_conv2d.ts).
 */
export function pack_depthwise_filter(src: usize, dst: usize, taps: i32, channels: i32, scale: i32): void {
  const tapPairs = (taps + 1) >> 1;
  let from = src;
  for (let t = 0; t < taps; t++) {
    for (let c = 0; c < channels; c++) {
      store<i16>(dst + (<usize>(((c >> 3) * tapPairs + (t >> 1)) * 16 + (c & 7) * 2 + (t & 1)) << 1), <i32>load<i16>(from) * scale);
      from += 2;
    }
  }
}
