// Image sources in Node (js/preprocess/sources.ts, js/classify-async.ts): encoded bytes in any
// ArrayBuffer view or buffer, Blobs, ImageData-shaped objects; what Node cannot decode (a WebP
// Blob: no createImageBitmap here) is an ImageError. The browser-only kinds are checked in
// Chromium by test/runtimes (browser-runner.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { classify } from "../js/classify.js";
import { ImageError, InputError, Model, classifyAsync, decodeImage, preprocessImage, preprocessImageAsync, toBytes } from "../js/index.js";
import { centralCrop } from "../js/preprocess/resize.js";
import { cropRect } from "../js/preprocess/resize.js";
import { readData } from "./data.js";

const SIZE = { width: 224, height: 224 };

/** The same bytes inside a bigger buffer, starting at an odd offset. */
function atOddOffset(bytes: Uint8Array): Uint8Array {
  const buffer = new ArrayBuffer(bytes.length + 7);
  const view = new Uint8Array(buffer, 3, bytes.length);
  view.set(bytes);
  new Uint8Array(buffer).fill(0xee, 0, 3);
  new Uint8Array(buffer).fill(0xee, 3 + bytes.length);
  return view;
}

test("toBytes: a view over the same memory, honouring byteOffset and byteLength", () => {
  const buffer = new ArrayBuffer(16);
  const all = new Uint8Array(buffer);
  all.forEach((_, i) => (all[i] = i));
  assert.equal(Array.from(toBytes(new DataView(buffer, 5, 3))), [5, 6, 7]);
  assert.equal(Array.from(toBytes(new Uint16Array(buffer, 2, 2))), [2, 3, 4, 5]);
  assert.equal(Array.from(toBytes(all.subarray(9, 11))), [9, 10]);
  assert.is(toBytes(buffer).buffer, buffer);
  assert.is(toBytes(new DataView(buffer, 5, 3)).buffer, buffer);
  const shared = new SharedArrayBuffer(4);
  assert.is(toBytes(shared).length, 4);
  assert.throws(() => toBytes([1, 2, 3] as unknown as ArrayBuffer), (e: Error) => e instanceof InputError);
});

test("cropRect is centralCrop's rectangle", () => {
  for (const [width, height, fraction] of [[1, 1, 0.875], [7, 3, 0.875], [640, 480, 0.875], [4032, 3024, 0.875], [333, 517, 0.5], [10, 10, 1], [9, 2, 0.3]]) {
    const data = new Uint8Array(width * height * 3);
    for (let p = 0; p < width * height; p++) [data[3 * p], data[3 * p + 1], data[3 * p + 2]] = [p % width, Math.floor(p / width) % 256, Math.floor(p / width) >> 8];
    const cropped = centralCrop({ width, height, data }, fraction);
    const rect = cropRect(width, height, fraction);
    assert.equal([rect.width, rect.height], [cropped.width, cropped.height], `${width}x${height} @ ${fraction}`);
    assert.equal([cropped.data[0], cropped.data[1] + 256 * cropped.data[2]], [rect.left % 256, rect.top], `${width}x${height} @ ${fraction}: origin`);
  }
  assert.throws(() => cropRect(4, 4, 0), (e: Error) => e instanceof InputError);
});

for (const image of ["parrot.jpg", "cat.bmp"]) {
  test(`${image}: Buffer, DataView, odd-offset view, ArrayBuffer, SharedArrayBuffer and Blob give the plain Uint8Array's pixels`, async () => {
    const bytes = readData(`images/samples/${image}`);
    if (bytes === null) return;
    const expected = preprocessImage(bytes, SIZE);
    const odd = atOddOffset(bytes);
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    const sources: [string, unknown][] = [
      ["Uint8Array", bytes],
      ["Buffer", Buffer.from(bytes)],
      ["Buffer from a pool (byteOffset ≠ 0)", Buffer.concat([Buffer.from([1, 2, 3]), bytes]).subarray(3)],
      ["DataView at an odd offset", new DataView(odd.buffer, odd.byteOffset, odd.byteLength)],
      ["Uint8Array at an odd offset", odd],
      ["ArrayBuffer", bytes.slice().buffer],
      ["SharedArrayBuffer", shared],
      ["Blob", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" })],
      ["File", new File([bytes as Uint8Array<ArrayBuffer>], image)],
    ];
    for (const [what, source] of sources) {
      const rgb = await preprocessImageAsync(source as Uint8Array, SIZE);
      assert.ok(rgb.length === expected.length && rgb.every((v, i) => v === expected[i]), `${what}: pixels differ`);
    }
  });
}

test("ImageData-shaped RGBA: alpha dropped, then the same crop and resize as decoded bytes", async () => {
  const bytes = readData("images/samples/grace_hopper.bmp");
  if (bytes === null) return;
  const decoded = decodeImage(bytes);
  const rgba = new Uint8ClampedArray(decoded.width * decoded.height * 4);
  for (let p = 0; p < decoded.width * decoded.height; p++) {
    rgba.set(decoded.data.subarray(3 * p, 3 * p + 3), 4 * p);
    rgba[4 * p + 3] = p % 256; // any alpha: it is ignored
  }
  const fromImageData = await preprocessImageAsync({ width: decoded.width, height: decoded.height, data: rgba }, SIZE);
  const expected = preprocessImage(bytes, SIZE);
  assert.ok(fromImageData.every((v, i) => v === expected[i]), "pixels differ");
  const wrongLength = await preprocessImageAsync({ width: 4, height: 4, data: new Uint8ClampedArray(10) }, SIZE).catch((e) => e);
  assert.instance(wrongLength, InputError);
});

test("Node cannot decode a WebP Blob: an ImageError that says so; unknown bytes and objects are refused", async () => {
  const webp = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0x1a, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x4c]);
  const blobError = await preprocessImageAsync(new Blob([webp], { type: "image/webp" }), SIZE).catch((e) => e);
  assert.instance(blobError, ImageError);
  assert.match(blobError.message, /Blob of type image\/webp .*createImageBitmap/);
  const bytesError = await preprocessImageAsync(webp, SIZE).catch((e) => e);
  assert.instance(bytesError, ImageError);
  assert.match(bytesError.message, /unknown image format/);
  const emptyError = await preprocessImageAsync(new Blob([]), SIZE).catch((e) => e);
  assert.instance(emptyError, ImageError);
  for (const bad of [null, 42, "cat.bmp", { width: 2, height: 2 }, [1, 2, 3]]) {
    const error = await preprocessImageAsync(bad as unknown as Uint8Array, SIZE).catch((e) => e);
    assert.instance(error, InputError, JSON.stringify(bad));
  }
  for (const options of [{ ...SIZE, crop: 1.5 }, { width: 0, height: 224 }, { width: 224, height: 2.5 }]) {
    const optionsError = await preprocessImageAsync(new Blob([webp]), options).catch((e) => e);
    assert.instance(optionsError, InputError, JSON.stringify(options));
  }
});

test("classifyAsync(Buffer, DataView, Blob) = classify(Uint8Array) on parrot.jpg", async () => {
  const modelBytes = readData("models/tf2_mobilenet_v2_1.0_224_ptq.tflite");
  const bytes = readData("images/samples/parrot.jpg");
  if (modelBytes === null || bytes === null) return;
  const model = await Model.load(modelBytes);
  try {
    const expected = classify(model, bytes);
    assert.is(expected[0].label, "macaw");
    const odd = atOddOffset(bytes);
    for (const source of [Buffer.from(bytes), new DataView(odd.buffer, odd.byteOffset, odd.byteLength), odd, new Blob([bytes as Uint8Array<ArrayBuffer>])]) {
      assert.equal(await classifyAsync(model, source), expected);
    }
    const topError = await classifyAsync(model, bytes, { top: 0 }).catch((e) => e);
    assert.instance(topError, InputError);
  } finally {
    model.dispose();
  }
});

test.run();
