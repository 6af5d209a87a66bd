// Helpers shared by the command-line commands.
import { readFileSync } from "node:fs";

/** A bad command line: one line and a pointer to --help, exit status 2. */
export class UsageError extends Error {}

/** A file named on the command line that cannot be read or written: one line, exit status 1. */
export class FileError extends Error {}

export function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new FileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** "127.5" or "123.7,116.3,103.5" → numbers (1 or 3 of them). */
export function numberList(text: string | undefined, flag: string): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(",").map((v) => Number(v.trim()));
  if ((values.length !== 1 && values.length !== 3) || values.some((v) => !Number.isFinite(v))) {
    throw new UsageError(`${flag} takes one number or three separated by commas, got "${text}"`);
  }
  return values;
}

export function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return n;
}

export function nonNegativeInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a non-negative integer, got "${text}"`);
  return n;
}
