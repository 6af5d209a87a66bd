// Huffman tables (DHT) → the decoding tables assembly/jpeg/entropy.ts reads, validated as
// libjpeg-turbo's jdhuff.c jpeg_make_d_derived_tbl validates them when a scan starts.
//
// Table layout (HUFFMAN_TABLE_BYTES, 16-byte aligned):
//   0     u16 lookup[512]: the next 9 bits → (code length << 8) | symbol, 0 when the code is longer
//   1024  i32 maxcode[18]: largest code of length l (-1 if none; maxcode[17] = 0xFFFFF, a sentinel)
//   1096  i32 valoffset[18]: symbol index of a code of length l = code + valoffset[l]
//   1168  u8 symbols[256]
import { ImageError } from "../../errors.js";
import type { HuffmanSpec } from "./markers.js";

export const HUFFMAN_TABLE_BYTES = 1536;
export const LOOKAHEAD_BITS = 9;

const badTable = () => new ImageError("JPEG: bad Huffman table");

/** Writes the decoding tables of `spec` at `bytes[at..]` (a view of wasm memory). `dc`: symbols must be 0..15. */
export function writeHuffmanTable(spec: HuffmanSpec, dc: boolean, bytes: Uint8Array, at: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, HUFFMAN_TABLE_BYTES);
  const { counts, symbols } = spec;
  // Figure C.1 / C.2: the code of each symbol, checking that the counts describe a prefix code
  const lengths: number[] = [];
  for (let l = 1; l <= 16; l++) for (let i = 0; i < counts[l]; i++) lengths.push(l);
  if (lengths.length > 256) throw badTable();
  const codes: number[] = [];
  let code = 0;
  let p = 0;
  let size = lengths.length ? lengths[0] : 0;
  while (p < lengths.length) {
    while (p < lengths.length && lengths[p] === size) {
      codes.push(code++);
      p++;
    }
    if (code >= 2 ** size) throw badTable();
    code *= 2;
    size++;
  }
  // Figure F.15: maxcode and valoffset per length
  p = 0;
  for (let l = 1; l <= 16; l++) {
    if (counts[l]) {
      view.setInt32(1096 + l * 4, p - codes[p], true);
      p += counts[l];
      view.setInt32(1024 + l * 4, codes[p - 1], true);
    } else {
      view.setInt32(1024 + l * 4, -1, true);
      view.setInt32(1096 + l * 4, 0, true);
    }
  }
  view.setInt32(1024, -1, true);
  view.setInt32(1096, 0, true);
  view.setInt32(1024 + 17 * 4, 0xfffff, true);
  view.setInt32(1096 + 17 * 4, 0, true);
  // lookahead: every 9-bit string that starts with a code of at most 9 bits
  for (let i = 0; i < 1 << LOOKAHEAD_BITS; i++) view.setUint16(i * 2, 0, true);
  for (let i = 0; i < lengths.length && lengths[i] <= LOOKAHEAD_BITS; i++) {
    const l = lengths[i];
    const first = codes[i] << (LOOKAHEAD_BITS - l);
    for (let j = 0; j < 1 << (LOOKAHEAD_BITS - l); j++) view.setUint16((first + j) * 2, (l << 8) | symbols[i], true);
  }
  bytes.set(symbols.subarray(0, 256), at + 1168);
  if (dc) for (let i = 0; i < lengths.length; i++) if (symbols[i] > 15) throw badTable();
}

function spec(counts: string, symbols: string): HuffmanSpec {
  const c = new Uint8Array(17);
  for (let i = 0; i < 16; i++) c[i + 1] = parseInt(counts.slice(2 * i, 2 * i + 2), 16);
  const s = new Uint8Array(256);
  for (let i = 0; i < symbols.length / 2; i++) s[i] = parseInt(symbols.slice(2 * i, 2 * i + 2), 16);
  return { counts: c, symbols: s };
}

const AC_SYMBOLS_TAIL = "090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa";

/**
 * The example tables of ITU-T T.81 Annex K.3, which libjpeg installs in slots 0 and 1 (DC and AC)
 * of a sequential file that defines none there (Motion-JPEG frames omit them).
 */
export function standardHuffmanTables(): { dc: HuffmanSpec[]; ac: HuffmanSpec[] } {
  return {
    dc: [
      spec("00010501010101010100000000000000", "000102030405060708090a0b"),
      spec("00030101010101010101010000000000", "000102030405060708090a0b"),
    ],
    ac: [
      spec("0002010303020403050504040000017d", "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282" + AC_SYMBOLS_TAIL),
      spec(
        "00020102040403040705040400010277",
        "000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa",
      ),
    ],
  };
}
