// Chromium only (browser-runner.ts, on the page's main thread): classifyAsync with every image
// source a browser has. The photo is parrot.jpg; the synchronous classify of its bytes is the
// reference. Through quantlite's decoder (a JPEG Blob) the answer must be identical; through the
// platform's decoder and resize (ImageBitmap, <img>, <canvas>, OffscreenCanvas, VideoFrame,
// ImageData, a WebP Blob) the top-1 class must agree, and the platform's pixels must be close to
// quantlite's (the same central crop; the EXIF orientation applied). Undecodable or unloaded
// sources → ImageError.
import type * as Quantlite from "../../js/index.js";
import type { CheckResult, ReadData } from "./check.js";
import { MODELS } from "./check.js";
import { withOrientation } from "../exif.js";

export type SourcesApi = Pick<typeof Quantlite, "Model" | "classify" | "classifyAsync" | "preprocessImage" | "preprocessImageAsync" | "ImageError" | "InputError">;

/** The photo the checks classify (served by the runner's server from the data directory). */
export const PHOTO = "images/samples/parrot.jpg";

export async function sourceChecks(api: SourcesApi, read: ReadData, photo: Uint8Array<ArrayBuffer>): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  const attempt = async (name: string, body: () => Promise<string>) => {
    try {
      checks.push({ name: `sources: ${name}`, ok: true, detail: await body() });
    } catch (error) {
      checks.push({ name: `sources: ${name}`, ok: false, detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  };
  const model = await api.Model.load(await read(MODELS[0].file));
  try {
    const expected = api.classify(model, photo);
    const jpeg = new Blob([photo], { type: "image/jpeg" });
    const bitmap = await createImageBitmap(jpeg);
    const { width, height } = bitmap;
    const canvas = Object.assign(document.createElement("canvas"), { width, height });
    canvas.getContext("2d")!.drawImage(bitmap, 0, 0);
    const offscreen = new OffscreenCanvas(width, height);
    offscreen.getContext("2d")!.drawImage(bitmap, 0, 0);
    const url = URL.createObjectURL(jpeg);
    const image = new Image();
    image.src = url;
    await image.decode();
    const webp = await offscreen.convertToBlob({ type: "image/webp", quality: 0.9 });
    const frame = new VideoFrame(bitmap, { timestamp: 0 });
    const sameTop1 = async (what: string, source: Quantlite.ImageSource) => {
      const top = await api.classifyAsync(model, source);
      if (top[0].index !== expected[0].index) throw new Error(`${what}: top-1 ${top[0].label} (${top[0].score.toFixed(3)}), bytes give ${expected[0].label}`);
      return `${top[0].label} ${top[0].score.toFixed(3)} (bytes ${expected[0].score.toFixed(3)})`;
    };
    try {
      await attempt(`reference: classify(${PHOTO.split("/").pop()} bytes)`, async () => {
        if (expected[0].label !== "macaw") throw new Error(`top-1 is ${expected[0].label}`);
        return `${expected[0].label} ${expected[0].score.toFixed(3)}`;
      });
      await attempt("JPEG Blob = bytes (quantlite's decoder)", async () => {
        const top = await api.classifyAsync(model, jpeg);
        if (JSON.stringify(top) !== JSON.stringify(expected)) throw new Error(`${JSON.stringify(top[0])} vs ${JSON.stringify(expected[0])}`);
        return "identical top-5";
      });
      await attempt("ImageBitmap: same top-1", () => sameTop1("ImageBitmap", bitmap));
      await attempt("HTMLImageElement: same top-1", () => sameTop1("HTMLImageElement", image));
      await attempt("HTMLCanvasElement: same top-1", () => sameTop1("HTMLCanvasElement", canvas));
      await attempt("OffscreenCanvas: same top-1", () => sameTop1("OffscreenCanvas", offscreen));
      await attempt("ImageData: same top-1", () => sameTop1("ImageData", offscreen.getContext("2d")!.getImageData(0, 0, width, height)));
      await attempt("VideoFrame: same top-1", () => sameTop1("VideoFrame", frame));
      await attempt("WebP Blob (canvas-encoded): same top-1", async () => {
        if (webp.type !== "image/webp") throw new Error(`the canvas made ${webp.type}, not WebP`);
        return sameTop1("WebP Blob", webp);
      });
      await attempt("platform pixels ≈ quantlite's: same central crop", async () => {
        const size = { width: 224, height: 224 };
        const ours = api.preprocessImage(photo, size);
        const platform = await api.preprocessImageAsync(bitmap, size);
        const uncropped = meanAbsoluteDifference(await api.preprocessImageAsync(bitmap, { ...size, crop: 1 }), ours);
        const difference = meanAbsoluteDifference(platform, ours);
        if (!(difference < 4 && uncropped > 2 * difference)) throw new Error(`mean |difference| ${difference.toFixed(2)} (without the crop ${uncropped.toFixed(2)})`);
        return `mean |difference| ${difference.toFixed(2)} of 255 (${uncropped.toFixed(2)} without the crop)`;
      });
      await attempt("<img> of a JPEG with EXIF orientation 6: pixels of the upright image", async () => {
        const rotated = new Image();
        const rotatedUrl = URL.createObjectURL(new Blob([withOrientation(photo, 6)], { type: "image/jpeg" }));
        try {
          rotated.src = rotatedUrl;
          await rotated.decode();
          if (rotated.naturalWidth !== height || rotated.naturalHeight !== width) throw new Error(`the browser shows ${rotated.naturalWidth}x${rotated.naturalHeight}`);
          const size = { width: 224, height: 224 };
          const upright = await api.preprocessImageAsync(turnClockwise(offscreen.getContext("2d")!.getImageData(0, 0, width, height)), size);
          const difference = meanAbsoluteDifference(await api.preprocessImageAsync(rotated, size), upright);
          const unturned = meanAbsoluteDifference(await api.preprocessImageAsync(bitmap, size), upright);
          if (!(difference < 4 && unturned > 2 * difference)) throw new Error(`mean |difference| ${difference.toFixed(2)} (unturned ${unturned.toFixed(2)})`);
          return `mean |difference| ${difference.toFixed(3)} from the image turned by hand (${unturned.toFixed(2)} unturned)`;
        } finally {
          URL.revokeObjectURL(rotatedUrl);
        }
      });
      await attempt("alpha through the platform: transparent → black, translucent → its colour", async () => {
        const canvas = new OffscreenCanvas(8, 8);
        const context = canvas.getContext("2d")!;
        context.fillStyle = "rgba(200, 100, 50, 0.5)";
        context.fillRect(4, 0, 4, 8); // the left half stays transparent
        const translucent = await createImageBitmap(canvas);
        const rgb = await api.preprocessImageAsync(translucent, { width: 8, height: 8, crop: 1 });
        translucent.close();
        const pixel = (x: number, y: number) => Array.from(rgb.subarray(3 * (8 * y + x), 3 * (8 * y + x) + 3));
        const [left, right] = [pixel(1, 4), pixel(6, 4)];
        if (left.some((v) => v !== 0) || right.some((v, c) => Math.abs(v - [200, 100, 50][c]) > 2)) throw new Error(`transparent ${left}, translucent ${right}`);
        return `transparent → ${left}, rgba(200, 100, 50, 0.5) → ${right}`;
      });
      await attempt("the ImageBitmap is still usable afterwards", async () => {
        if (bitmap.width !== width) throw new Error("classifyAsync closed the caller's ImageBitmap");
        return `${bitmap.width}x${bitmap.height}`;
      });
      await attempt("undecodable WebP Blob, unloaded <img> → ImageError; a plain object → InputError", async () => {
        const seen: string[] = [];
        const cases: [string, unknown, typeof api.ImageError | typeof api.InputError][] = [
          ["WebP Blob of garbage", new Blob([new TextEncoder().encode("RIFF\u0010\0\0\0WEBPVP8 garbage")], { type: "image/webp" }), api.ImageError],
          ["<img> without a source", new Image(), api.ImageError],
          ["{ width, height }", { width: 4, height: 4 }, api.InputError],
        ];
        for (const [what, source, kind] of cases) {
          const error = await api.classifyAsync(model, source as Quantlite.ImageSource).then(() => null, (e: unknown) => e);
          if (!(error instanceof kind)) throw new Error(`${what}: ${error === null ? "no error" : String(error)}`);
          seen.push(`${what}: ${(error as Error).name}`);
        }
        return seen.join("; ");
      });
    } finally {
      frame.close();
      bitmap.close();
      URL.revokeObjectURL(url);
    }
  } finally {
    model.dispose();
  }
  return checks;
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`lengths ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}


/** An ImageData turned 90° clockwise (what EXIF orientation 6 asks a viewer to do). */
function turnClockwise(image: ImageData): ImageData {
  const { width, height, data } = image;
  const turned = new ImageData(height, width);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < height; x++) {
      const from = 4 * ((height - 1 - x) * width + y);
      turned.data.set(data.subarray(from, from + 4), 4 * (y * height + x));
    }
  }
  return turned;
}
