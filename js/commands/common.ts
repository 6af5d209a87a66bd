// Helpers shared by the command-line commands.
import { accessSync, constants, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { QuantliteError } from "../errors.js";

/** A bad command line: one line and a pointer to --help, exit status 2. */
export class UsageError extends Error {}

/** A file named on the command line that cannot be read or written: one line, exit status 1. */
export class FileError extends Error {}

let stdinRead = false;

/** A file's bytes; `-` is standard input (once per command). */
export function readBytes(path: string): Uint8Array {
  if (path === "-") {
    if (stdinRead) throw new UsageError("standard input (-) can be read only once");
    stdinRead = true;
  }
  try {
    return new Uint8Array(readFileSync(path === "-" ? 0 : path));
  } catch (e) {
    throw new FileError(`cannot read ${path === "-" ? "standard input" : path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Checks, before any long work, that `path` can be written: not a folder, and in a writable folder. */
export function checkWritable(path: string, flag: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    // Not there yet: its folder decides.
  }
  if (isFolder) throw new FileError(`cannot write ${flag} ${path}: it is a folder`);
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (e) {
    throw new FileError(`cannot write ${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} for its folder`);
  }
}

/** Writes the whole file to a temporary name beside `path`, then renames it: never half a file. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw new FileError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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

/** One image's outcome in a command that takes several (classify, detect). */
export type ImageOutcome<T> = { image: string; value: T } | { image: string; error: string };

/**
 * `work` on each image file (`-`: standard input). An image that fails with a QuantliteError is one
 * line on stderr and makes the exit status 1; the others go on. An unreadable file stops the command.
 */
export function forEachImage<T>(images: string[], work: (bytes: Uint8Array) => T): ImageOutcome<T>[] {
  return images.map((image) => {
    try {
      return { image, value: work(readBytes(image)) };
    } catch (e) {
      if (!(e instanceof QuantliteError || e instanceof UsageError)) throw e;
      console.error(`quantlite: ${image === "-" ? "standard input" : image}: ${e.message}`);
      process.exitCode = 1;
      return { image, error: e.message };
    }
  });
}

/** How an image is named above its results. */
export function imageTitle(image: string): string {
  return image === "-" ? "(standard input)" : basename(image);
}
