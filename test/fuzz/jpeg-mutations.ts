// Mutations that know JPEG's structure (test/jpeg-corpus.ts jpegSegments): segments spliced in
// from another file or moved, Huffman and quantization tables broken, frame headers with edge
// values (sampling factors, component counts, precision, frame types), restart intervals and RSTn
// markers damaged, progressive scans edited, dropped, repeated or reordered, and damage inside
// the entropy-coded data only. Each returns the new bytes and a short description.
import { concat } from "../image-builder.js";
import { jpegSegments, type Segment } from "../jpeg-corpus.js";
import type { Rng } from "../random.js";

export type JpegMutation = (bytes: Uint8Array, rng: Rng, donor: Uint8Array) => [Uint8Array, string];

const SOF_MARKERS = [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf];
const isFrame = (marker: number) => SOF_MARKERS.includes(marker);
const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;
const hex = (marker: number) => marker.toString(16);

const segmentsOf = (bytes: Uint8Array, pick: (marker: number) => boolean): Segment[] => jpegSegments(bytes).filter(({ marker }) => pick(marker));

/** Positions of the RSTn markers inside the scans. */
function restartMarkers(bytes: Uint8Array): number[] {
  const positions: number[] = [];
  for (const scan of segmentsOf(bytes, (m) => m === 0xda)) {
    for (let i = scan.start + 2; i + 1 < scan.end; i++) if (bytes[i] === 0xff && isRestart(bytes[i + 1])) positions.push(i);
  }
  return positions;
}

/** Where a scan's entropy-coded data starts and ends. */
function scanData(bytes: Uint8Array, scan: Segment): [number, number] {
  return [scan.start + 2 + ((bytes[scan.start + 2] << 8) | bytes[scan.start + 3]), scan.end];
}

const EDGE_BYTES = [0, 1, 2, 3, 4, 5, 8, 15, 16, 17, 63, 64, 127, 128, 254, 255];

export const JPEG_MUTATIONS: Record<string, JpegMutation> = {
  /** A segment of another file (or this one), inserted at a segment boundary or inside scan data. */
  markerSplice(bytes, rng, donor) {
    const from = rng.bool(0.5) ? donor : bytes;
    const parts = jpegSegments(from).filter(({ marker }) => marker !== 0xd8);
    if (parts.length === 0) return [bytes, "no segments"];
    const part = rng.pick(parts);
    const piece = from.subarray(part.start, rng.bool(0.8) ? part.end : rng.int(part.start, part.end));
    const here = jpegSegments(bytes);
    const at = rng.bool(0.6) && here.length > 0 ? rng.pick(here).start : rng.int(2, bytes.length);
    return [concat([bytes.subarray(0, at), piece, bytes.subarray(at)]), `${hex(part.marker)} (${piece.length} bytes) @${at}`];
  },
  /** A segment moved elsewhere (before the frame header, after EOI, between scans). */
  markerMove(bytes, rng) {
    const segments = jpegSegments(bytes).filter(({ marker }) => marker !== 0xd8);
    if (segments.length < 2) return [bytes, "too few segments"];
    const moved = rng.pick(segments);
    const rest = concat([bytes.subarray(0, moved.start), bytes.subarray(moved.end)]);
    const at = rng.pick([2, ...jpegSegments(rest).map(({ start }) => start), rest.length]);
    return [concat([rest.subarray(0, at), bytes.subarray(moved.start, moved.end), rest.subarray(at)]), `${hex(moved.marker)} @${moved.start} → @${at}`];
  },
  /** DHT: code counts overfull, empty or random, symbols out of range, table class/id bogus. */
  bogusHuffman(bytes, rng) {
    const tables = segmentsOf(bytes, (m) => m === 0xc4);
    if (tables.length === 0) return [bytes, "no DHT"];
    const { start, end } = rng.pick(tables);
    const copy = bytes.slice();
    const counts = start + 5; // after marker, length, class/id
    const r = rng.int(0, 4);
    if (r === 0) {
      for (let i = 0; i < 16; i++) copy[counts + i] = rng.int(0, 255); // overfull or random
    } else if (r === 1) copy.fill(0, counts, counts + 16); // no codes at all
    else if (r === 2) copy[counts + rng.int(0, 15)] = rng.pick(EDGE_BYTES); // one length's count
    else if (r === 3) copy[start + 4] = rng.pick([0x02, 0x04, 0x14, 0x20, 0xff, 0x13]); // class/id
    else for (let i = counts + 16; i < end; i++) if (rng.bool(0.2)) copy[i] = rng.pick(EDGE_BYTES); // symbols
    return [copy, `DHT @${start} kind ${r}`];
  },
  /** DQT: zero or edge entries, 16-bit precision flag, table id beyond 3, length cut. */
  bogusQuant(bytes, rng) {
    const tables = segmentsOf(bytes, (m) => m === 0xdb);
    if (tables.length === 0) return [bytes, "no DQT"];
    const { start, end } = rng.pick(tables);
    const copy = bytes.slice();
    const r = rng.int(0, 3);
    if (r === 0) {
      for (let i = start + 5; i < end; i++) if (rng.bool(0.3)) copy[i] = rng.pick([0, 1, 255]);
    } else if (r === 1) copy[start + 4] = rng.pick([0x10, 0x11, 0x04, 0x0f, 0xf0]);
    else if (r === 2) copy.fill(0, start + 5, end);
    else copy[start + 3] = rng.pick([2, 3, 66, 67, 130, 131, 132, 255]);
    return [copy, `DQT @${start} kind ${r}`];
  },
  /** Frame header: sampling factors, component count, ids, table numbers, precision, frame type. */
  frameHeader(bytes, rng) {
    const frames = segmentsOf(bytes, isFrame);
    if (frames.length === 0) return [bytes, "no SOF"];
    const { start, end } = frames[0];
    const copy = bytes.slice();
    const r = rng.int(0, 5);
    const component = start + 10 + 3 * rng.int(0, Math.max(0, Math.floor((end - start - 10) / 3) - 1));
    if (r === 0 && component + 1 < end) copy[component + 1] = rng.pick([0x00, 0x10, 0x01, 0x50, 0x05, 0x44, 0x41, 0x14, 0x33, 0xff, 0x22, 0x12]);
    else if (r === 1) copy[start + 9] = rng.pick([0, 1, 2, 3, 4, 5, 255]);
    else if (r === 2 && component < end) copy[component] = copy[start + 10]; // duplicate component id
    else if (r === 3 && component + 2 < end) copy[component + 2] = rng.pick([1, 2, 3, 4, 255]);
    else if (r === 4) copy[start + 4] = rng.pick([0, 1, 7, 9, 12, 16, 255]);
    else copy[start + 1] = rng.pick(SOF_MARKERS);
    return [copy, `SOF kind ${r}`];
  },
  /** DRI: a new interval (or one added, or removed), RSTn markers dropped, repeated, renumbered or added. */
  restartDamage(bytes, rng) {
    const restarts = restartMarkers(bytes);
    const dri = segmentsOf(bytes, (m) => m === 0xdd)[0];
    const r = rng.int(0, 5);
    if (r === 0 || (restarts.length === 0 && r < 4)) {
      const interval = rng.pick([0, 1, 2, 3, 7, 64, 255, 0xffff]);
      const segment = new Uint8Array([0xff, 0xdd, 0, 4, interval >> 8, interval & 0xff]);
      const scan = segmentsOf(bytes, (m) => m === 0xda)[0];
      if (dri) return [concat([bytes.subarray(0, dri.start), segment, bytes.subarray(dri.end)]), `DRI ${interval}`];
      const at = scan?.start ?? 2;
      return [concat([bytes.subarray(0, at), segment, bytes.subarray(at)]), `DRI ${interval} added`];
    }
    if (r === 4) {
      if (!dri) return [bytes, "no DRI"];
      return [concat([bytes.subarray(0, dri.start), bytes.subarray(dri.end)]), "DRI dropped"];
    }
    if (r === 5) {
      const scan = segmentsOf(bytes, (m) => m === 0xda)[0];
      if (!scan) return [bytes, "no scan"];
      const [from, to] = scanData(bytes, scan);
      const at = rng.int(from, Math.max(from, to - 1));
      return [concat([bytes.subarray(0, at), new Uint8Array([0xff, 0xd0 + rng.int(0, 7)]), bytes.subarray(at)]), `RST inserted @${at}`];
    }
    const at = rng.pick(restarts);
    if (r === 1) return [concat([bytes.subarray(0, at), bytes.subarray(at + 2)]), `RST dropped @${at}`];
    if (r === 2) return [concat([bytes.subarray(0, at + 2), bytes.subarray(at, at + 2), bytes.subarray(at + 2)]), `RST repeated @${at}`];
    const copy = bytes.slice();
    copy[at + 1] = 0xd0 + rng.int(0, 7);
    return [copy, `RST renumbered @${at}`];
  },
  /** SOS: component count, ids, table selectors, spectral selection and successive approximation. */
  scanHeader(bytes, rng) {
    const scans = segmentsOf(bytes, (m) => m === 0xda);
    if (scans.length === 0) return [bytes, "no SOS"];
    const scan = rng.pick(scans);
    const [dataStart] = scanData(bytes, scan);
    const copy = bytes.slice();
    const r = rng.int(0, 3);
    if (r === 0) copy[scan.start + 4] = rng.pick([0, 1, 2, 3, 4, 5, 255]);
    else if (r === 1) copy[scan.start + 5 + 2 * rng.int(0, Math.max(0, copy[scan.start + 4] - 1)) + rng.int(0, 1)] = rng.pick(EDGE_BYTES);
    else if (r === 2) copy[dataStart - 3 + rng.int(0, 1)] = rng.pick([0, 1, 5, 6, 62, 63, 64, 200, 255]); // Ss, Se
    else copy[dataStart - 1] = rng.pick([0x00, 0x01, 0x10, 0x11, 0x21, 0x12, 0xd0, 0x0d, 0xee, 0xff]); // Ah/Al
    return [copy, `SOS @${scan.start} kind ${r}`];
  },
  /** A scan dropped, repeated, two swapped, or one cut short. */
  scanOrder(bytes, rng) {
    const scans = segmentsOf(bytes, (m) => m === 0xda || m === 0xc4);
    const sos = scans.filter(({ marker }) => marker === 0xda);
    if (sos.length === 0) return [bytes, "no scan"];
    const a = rng.pick(sos);
    const r = rng.int(0, 3);
    if (r === 0) return [concat([bytes.subarray(0, a.start), bytes.subarray(a.end)]), `scan @${a.start} dropped`];
    if (r === 1) return [concat([bytes.subarray(0, a.end), bytes.subarray(a.start, a.end), bytes.subarray(a.end)]), `scan @${a.start} repeated`];
    if (r === 2) {
      const cut = rng.int(a.start + 4, a.end);
      return [concat([bytes.subarray(0, cut), bytes.subarray(a.end)]), `scan @${a.start} cut at ${cut}`];
    }
    const b = rng.pick(sos);
    if (a === b) return [bytes, "one scan"];
    const [first, second] = a.start < b.start ? [a, b] : [b, a];
    return [concat([bytes.subarray(0, first.start), bytes.subarray(second.start, second.end), bytes.subarray(first.end, second.start), bytes.subarray(first.start, first.end), bytes.subarray(second.end)]), `scans @${first.start} and @${second.start} swapped`];
  },
  /** Damage inside the entropy-coded data only: random bytes, 0xFF bytes, stuffed zeros removed. */
  entropyData(bytes, rng) {
    const scans = segmentsOf(bytes, (m) => m === 0xda);
    if (scans.length === 0) return [bytes, "no scan"];
    const [from, to] = scanData(bytes, rng.pick(scans));
    if (to <= from) return [bytes, "empty scan"];
    const copy = bytes.slice();
    const count = rng.int(1, 6);
    const r = rng.int(0, 2);
    for (let i = 0; i < count; i++) {
      const at = rng.int(from, to - 1);
      copy[at] = r === 0 ? rng.int(0, 255) : r === 1 ? 0xff : copy[at] ^ (1 << rng.int(0, 7));
    }
    return [copy, `${count} bytes kind ${r}`];
  },
};
