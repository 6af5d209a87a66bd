// Image sets on disk for quantize and eval: a directory of JPEG / PNG / BMP files (sorted by
// file name) or a text file listing image paths, and their ImageNet labels from WordNet ids.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { EvalImage } from "../eval/evaluate.js";
import { basename, dirname, join, resolve } from "node:path";
import { FileError, UsageError } from "./common.js";

const IMAGE_EXTENSIONS = /\.(jpe?g|png|bmp)$/i;

/**
 * The image files of a directory (sorted by name; non-images ignored) or of a list file (one
 * path per line, relative to the list's folder; blank lines and # comments ignored).
 */
export function listImages(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`${path} does not exist`);
  }
  if (stat.isDirectory()) {
    return readdirSync(path).filter((name) => IMAGE_EXTENSIONS.test(name)).sort().map((name) => join(path, name));
  }
  const base = dirname(resolve(path));
  return readFileSync(path, "utf8").split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => resolve(base, line));
}

/** The folder of an image set (the directory itself, or the list file's folder). */
export function imageSetFolder(path: string): string {
  return statSync(path).isDirectory() ? path : dirname(resolve(path));
}

export interface LabelSource {
  /** Class (1000-class numbering) of an image file, or null if unknown. */
  label(file: string): number | null;
  description: string;
}

const WNID = /^(n\d{8})/;

/**
 * Labels for images: an explicit file (lines "file class" for ground truth, or a WordNet-id
 * list: line i = class i), else synsets.txt in the image folder (file names start with the
 * WordNet id, as ImageNet's do). Without either, images have no labels.
 */
export function labelSource(imagesPath: string, labelsFile?: string): LabelSource {
  const file = labelsFile ?? join(imageSetFolder(imagesPath), "synsets.txt");
  if (!existsSync(file)) {
    if (labelsFile !== undefined) throw new FileError(`cannot read ${labelsFile}`);
    return { label: () => null, description: "no labels (no synsets.txt beside the images and no --labels)" };
  }
  const lines = readFileSync(file, "utf8").split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const pairs = lines.map((l) => l.split(/[\s,]+/));
  if (pairs.length > 0 && pairs.every((p) => p.length === 2 && /^\d+$/.test(p[1]))) {
    const truth = new Map(pairs.map(([name, cls]) => [basename(name), Number(cls)]));
    return { label: (f) => truth.get(basename(f)) ?? null, description: `ground truth from ${file} (${truth.size} images)` };
  }
  const index = new Map<string, number>();
  lines.forEach((line, i) => {
    const id = line.split(/\s+/)[0];
    if (!index.has(id)) index.set(id, i);
  });
  return {
    label: (f) => {
      const m = WNID.exec(basename(f));
      return m ? index.get(m[1]) ?? null : null;
    },
    description: `WordNet ids of file names, classes from ${file} (${lines.length} lines)`,
  };
}

export interface ImageSetOptions {
  /** A labels file (see labelSource); default synsets.txt beside the images. */
  labels?: string;
  /** Images to leave out at the start, and how many to take (default all). */
  skip?: number;
  count?: number;
}

/**
 * A labelled image set as `evaluate` takes it: the images of a folder or list file (listImages),
 * each read when it is needed, with its class from labelSource (null where unknown).
 */
export function loadImageSet(path: string, options: ImageSetOptions = {}): { images: (EvalImage & { file: string })[]; labels: LabelSource; found: number } {
  const all = listImages(path);
  const skip = options.skip ?? 0;
  const files = all.slice(skip, options.count === undefined ? undefined : skip + options.count);
  const labels = labelSource(path, options.labels);
  const images = files.map((file) => ({
    name: basename(file),
    file,
    label: labels.label(file),
    bytes: () => {
      try {
        return new Uint8Array(readFileSync(file));
      } catch (e) {
        throw new FileError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    },
  }));
  return { images, labels, found: all.length };
}
