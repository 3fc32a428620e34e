import pc from 'picocolors';

/** --color / --no-color for this run; undefined: decide from the stream and the environment. */
let forced: boolean | undefined;

export function setColorMode(enabled: boolean | undefined): void {
  forced = enabled;
}

/**
 * Colour when --color says so, else only on a TTY and when NO_COLOR is unset (FORCE_COLOR
 * turns it on anywhere, as picocolors' own check does); --no-color wins over FORCE_COLOR.
 */
export function colors(stream: NodeJS.WriteStream = process.stdout): ReturnType<typeof pc.createColors> {
  if (forced !== undefined) return pc.createColors(forced);
  const enabled = Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return pc.createColors(enabled || 'FORCE_COLOR' in process.env);
}
