// Progress on stderr for long runs: a redrawn bar (count, rate, ETA) on a terminal, a plain
// line every few seconds otherwise (logs, CI).
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class Progress {
  private readonly start = performance.now();
  private lastDraw = 0;
  private lastLine = 0;
  private finished = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = "images",
    private readonly stream: ProgressStream = process.stderr,
    /** Seconds between plain lines when not on a terminal. */
    private readonly lineInterval = 10,
  ) {}

  update(done: number, extra = ""): void {
    if (this.finished) return;
    const now = performance.now();
    const elapsed = (now - this.start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const remaining = rate > 0 ? (this.total - done) / rate : NaN;
    const status = `${done}/${this.total} ${this.unit}, ${rate.toFixed(1)} ${this.unit}/s, ETA ${formatSeconds(remaining)}${extra ? `, ${extra}` : ""}`;
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - status.length - this.label.length - 6));
      const filled = this.total > 0 ? Math.round((done / this.total) * width) : width;
      this.stream.write(`\r${this.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${status}\x1b[K`);
    } else if (now - this.lastLine >= this.lineInterval * 1000 || done === this.total) {
      this.lastLine = now;
      this.stream.write(`${this.label}: ${status}\n`);
    }
  }

  /** Writes a message line without garbling the bar (it is redrawn on the next update). */
  note(message: string): void {
    this.stream.write(this.stream.isTTY ? `\r\x1b[K${message}\n` : `${message}\n`);
    this.lastDraw = 0;
  }

  /** Ends the bar (a newline on a terminal) and returns the elapsed seconds. */
  finish(): number {
    if (!this.finished && this.stream.isTTY) this.stream.write("\n");
    this.finished = true;
    return (performance.now() - this.start) / 1000;
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}:${String(s % 60).padStart(2, "0")}`;
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}
