// How a JPEG frame decodes at DCT scale M/8, as libjpeg-turbo lays it out (jdmaster.c
// jpeg_calc_output_dimensions, jdsample.c jinit_upsampler): the output size, each component's
// inverse-DCT size (chroma is scaled up by the IDCT rather than upsampled where its sampling
// ratio allows), its sample plane, and how it is upsampled to the output grid.
import { ImageError } from "../../errors.js";
import type { JpegHeader } from "./markers.js";

/** How a component's samples reach the output grid (jdsample.c's per-component method). */
export type UpsampleMethod = "full" | "h2v1-fancy" | "h2v2-fancy" | "h1v2-fancy" | "replicate";

export interface ComponentLayout {
  h: number;
  v: number;
  /** Samples per block side after the inverse DCT (libjpeg's DCT_scaled_size). */
  idctSize: number;
  /** Blocks per block row in the coefficient buffers: mcusAcross × h. */
  blocksWide: number;
  /** Real samples per row and rows of the component after the IDCT (downsampled_width/height). */
  width: number;
  height: number;
  /** Sample rows one iMCU row produces: v × idctSize. */
  rowsPerIMcu: number;
  /** Bytes per row of the component's sample plane (16-byte multiple, with room to read past the end). */
  stride: number;
  upsample: UpsampleMethod;
  /** Output samples per component sample, across and down. */
  hFactor: number;
  vFactor: number;
}

export interface JpegLayout {
  /** M of the scale M/8. */
  scale: number;
  outputWidth: number;
  outputHeight: number;
  /** Output rows of one iMCU row: maxV × M. */
  rowsPerIMcu: number;
  iMcuRows: number;
  components: ComponentLayout[];
  /** Some component's upsampling reads the rows above and below (fancy vertical). */
  needsContext: boolean;
}

/** Bytes readable past the end of every row, for kernels that read a vector at a time. */
export const ROW_PADDING = 32;

const ceilDiv = (a: number, b: number) => Math.floor((a + b - 1) / b);

/** The output size at scale M/8 (jdmaster.c: ceil(size × M / 8)). */
export function scaledSize(width: number, height: number, scale: number): { width: number; height: number } {
  return { width: ceilDiv(width * scale, 8), height: ceilDiv(height * scale, 8) };
}

export function jpegLayout(header: JpegHeader, scale: number): JpegLayout {
  if (!Number.isInteger(scale) || scale < 1 || scale > 8) throw new ImageError(`JPEG: scale must be M/8 with M = 1…8, got ${scale}/8`);
  const { maxH, maxV } = header;
  const output = scaledSize(header.width, header.height, scale);
  // Fancy upsampling needs context rows, which libjpeg does not provide at scale 1/8.
  const fancy = scale > 1;
  const components = header.components.map((component): ComponentLayout => {
    let idctSize = scale;
    while (idctSize < 8 && (maxH * scale) % (component.h * idctSize * 2) === 0 && (maxV * scale) % (component.v * idctSize * 2) === 0) {
      idctSize *= 2;
    }
    const width = ceilDiv(header.width * component.h * idctSize, maxH * 8);
    const height = ceilDiv(header.height * component.v * idctSize, maxV * 8);
    const hIn = (component.h * idctSize) / scale;
    const vIn = (component.v * idctSize) / scale;
    let upsample: UpsampleMethod;
    if (hIn === maxH && vIn === maxV) upsample = "full";
    else if (hIn * 2 === maxH && vIn === maxV) upsample = fancy && width > 2 ? "h2v1-fancy" : "replicate";
    else if (hIn === maxH && vIn * 2 === maxV && fancy) upsample = "h1v2-fancy";
    else if (hIn * 2 === maxH && vIn * 2 === maxV) upsample = fancy && width > 2 ? "h2v2-fancy" : "replicate";
    else if (maxH % hIn === 0 && maxV % vIn === 0) upsample = "replicate";
    else throw new ImageError(`JPEG: fractional sampling factors are not supported (component ${component.h}x${component.v} of ${maxH}x${maxV})`);
    const blocksWide = header.mcusAcross * component.h;
    return {
      h: component.h,
      v: component.v,
      idctSize,
      blocksWide,
      width,
      height,
      rowsPerIMcu: component.v * idctSize,
      stride: ceilDiv(blocksWide * idctSize, 16) * 16 + ROW_PADDING,
      upsample,
      hFactor: maxH / hIn,
      vFactor: maxV / vIn,
    };
  });
  return {
    scale,
    outputWidth: output.width,
    outputHeight: output.height,
    rowsPerIMcu: maxV * scale,
    iMcuRows: header.mcusDown,
    components,
    needsContext: components.some((c) => c.upsample === "h2v2-fancy" || c.upsample === "h1v2-fancy"),
  };
}
