// The zip archive TFLite metadata appends after the flatbuffer to pack associated files
// (labels, vocabularies). Only stored (uncompressed) entries are returned; compressed,
// encrypted and zip64 entries are skipped. Every offset is checked: a broken archive is a
// ModelError, never another exception.
import { ModelError } from "../errors.js";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
const CENTRAL_ENTRY_SIZE = 46;
const LOCAL_HEADER_SIZE = 30;
const MAX_COMMENT_SIZE = 0xffff;
const METHOD_STORED = 0;
const FLAG_ENCRYPTED = 1;
const ZIP64_MARKER = 0xffffffff;

const utf8 = new TextDecoder();

/** The stored entries of a zip archive at the end of `bytes`, by name; empty if there is none. */
export function readZipStoredEntries(bytes: Uint8Array): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (pos: number, size: number, what: string) => {
    if (pos < 0 || pos + size > bytes.length) {
      throw new ModelError(`corrupt zip archive after the model: ${what} at offset ${pos} runs past the end of the file`);
    }
  };
  const u16 = (pos: number, what: string) => (need(pos, 2, what), view.getUint16(pos, true));
  const u32 = (pos: number, what: string) => (need(pos, 4, what), view.getUint32(pos, true));

  const end = findEndRecord(bytes, view);
  if (end < 0) return entries;
  const entryCount = u16(end + 10, "end record");
  const directorySize = u32(end + 12, "end record");
  const directoryOffset = u32(end + 16, "end record");
  // Offsets in the archive count from its first byte; the archive itself starts after the
  // model, wherever the central directory's recorded position says it must.
  const archiveStart = end - directorySize - directoryOffset;
  if (archiveStart < 0) {
    throw new ModelError("corrupt zip archive after the model: central directory lies outside the file");
  }

  let pos = archiveStart + directoryOffset;
  for (let i = 0; i < entryCount; i++) {
    const what = `central directory entry ${i}`;
    if (u32(pos, what) !== CENTRAL_DIRECTORY_ENTRY) {
      throw new ModelError(`corrupt zip archive after the model: ${what} has a bad signature`);
    }
    const flags = u16(pos + 8, what);
    const method = u16(pos + 10, what);
    const compressedSize = u32(pos + 20, what);
    const size = u32(pos + 24, what);
    const nameLength = u16(pos + 28, what);
    const extraLength = u16(pos + 30, what);
    const commentLength = u16(pos + 32, what);
    const localOffset = u32(pos + 42, what);
    need(pos + CENTRAL_ENTRY_SIZE, nameLength, `${what} name`);
    const name = utf8.decode(bytes.subarray(pos + CENTRAL_ENTRY_SIZE, pos + CENTRAL_ENTRY_SIZE + nameLength));
    pos += CENTRAL_ENTRY_SIZE + nameLength + extraLength + commentLength;

    const stored = method === METHOD_STORED && (flags & FLAG_ENCRYPTED) === 0;
    const zip64 = compressedSize === ZIP64_MARKER || size === ZIP64_MARKER || localOffset === ZIP64_MARKER;
    if (!stored || zip64) continue;
    if (compressedSize !== size) {
      throw new ModelError(`corrupt zip archive after the model: stored entry ${name} has two different sizes`);
    }
    const localHeader = archiveStart + localOffset;
    const local = `local header of ${name}`;
    if (u32(localHeader, local) !== LOCAL_FILE_HEADER) {
      throw new ModelError(`corrupt zip archive after the model: ${local} has a bad signature`);
    }
    const dataStart = localHeader + LOCAL_HEADER_SIZE + u16(localHeader + 26, local) + u16(localHeader + 28, local);
    need(dataStart, size, `data of ${name}`);
    entries.set(name, bytes.subarray(dataStart, dataStart + size));
  }
  return entries;
}

/**
 * Position of the end-of-central-directory record: the last signature whose comment
 * length reaches exactly to the end of the file (which rules out chance matches in model
 * data), or -1.
 */
function findEndRecord(bytes: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, bytes.length - END_RECORD_SIZE - MAX_COMMENT_SIZE);
  for (let pos = bytes.length - END_RECORD_SIZE; pos >= lowest; pos--) {
    if (
      view.getUint32(pos, true) === END_OF_CENTRAL_DIRECTORY &&
      pos + END_RECORD_SIZE + view.getUint16(pos + 20, true) === bytes.length
    ) {
      return pos;
    }
  }
  return -1;
}
