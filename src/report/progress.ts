/** A one-line progress bar on stderr, redrawn with `\r`, at most 10 times a second. */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  /** clears the line */
  stop(): void;
}

export interface ProgressOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  /** ms clock, for tests */
  now?: () => number;
}

const INTERVAL_MS = 100;
const WIDTH = 20;
const silent: Progress = { update: () => undefined, stop: () => undefined };

/** Shown only on a terminal, never with --quiet or in CI (logs would fill with redraws). */
export function progressEnabled(options: ProgressOptions = {}): boolean {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  return Boolean(stream.isTTY) && !options.quiet && !env.CI && env.TERM !== 'dumb';
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
}

/** The text of one redraw, e.g. `[#####...............] 250/1000 files · packages/api · ~12s left`. */
export function progressLine(done: number, total: number, elapsedMs: number, label?: string): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * WIDTH);
  const parts = [`[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} files`];
  if (label) parts.push(label);
  // no estimate from the first few files: start-up dominates them
  if (done >= Math.min(20, total) && done < total && elapsedMs > 500) {
    parts.push(`~${formatSeconds(((elapsedMs / done) * (total - done)) / 1000)} left`);
  }
  return parts.join(' · ');
}

export function createProgress(options: ProgressOptions = {}): Progress {
  if (!progressEnabled(options)) return silent;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total, label) {
      const t = now();
      if (t - last < INTERVAL_MS && done < total) return;
      last = t;
      const columns = stream.columns || 80;
      stream.write(`\r${progressLine(done, total, t - started, label).slice(0, columns - 1)}\x1b[K`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
