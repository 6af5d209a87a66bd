// Types for jpeg-js 0.4.4's decoder module (CommonJS, `module.exports = decode`), which quantlite
// imports on its own (js/preprocess/jpeg.ts); the package's own types describe only its entry.
declare module "jpeg-js/lib/decoder.js" {
  /** Decodes a JPEG; with useTArray, data is a Uint8Array (RGB when formatAsRGBA is false). */
  function decode(
    jpegData: Uint8Array | ArrayBuffer,
    opts: {
      useTArray: true;
      colorTransform?: boolean;
      formatAsRGBA?: boolean;
      tolerantDecoding?: boolean;
      maxResolutionInMP?: number;
      maxMemoryUsageInMB?: number;
    },
  ): { width: number; height: number; data: Uint8Array; comments?: string[] };
  export = decode;
}
