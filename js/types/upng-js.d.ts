// Types for the parts of upng-js 2.1.0 (a CommonJS module without its own types) that quantlite
// and its tests use.
declare module "upng-js" {
  namespace UPNG {
    interface Image {
      width: number;
      height: number;
      /** Bit depth of one sample: 1, 2, 4, 8 or 16. */
      depth: number;
      /** PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
      ctype: number;
      /** The unfiltered image rows. */
      data: Uint8Array;
      tabs: Record<string, unknown>;
      frames: unknown[];
    }
    /** Parses a PNG and inflates and unfilters its image data. Throws a string or an Error. */
    function decode(png: ArrayBuffer): Image;
    /** One RGBA8 buffer (width*height*4 bytes) per frame. */
    function toRGBA8(image: Image): ArrayBuffer[];
    /**
     * Encodes RGBA8 frames. `colors` 0 is lossless; with `forbidPalette` false, images of at most
     * 256 colours are written as palette images.
     */
    function encode(frames: ArrayBuffer[], width: number, height: number, colors: number, delays?: number[], forbidPalette?: boolean): ArrayBuffer;
  }
  export = UPNG;
}
