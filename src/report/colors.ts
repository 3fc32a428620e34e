import pc from 'picocolors';

/** Colour only on a TTY and when NO_COLOR is unset (picocolors' own check also honours FORCE_COLOR). */
export function colors(stream: NodeJS.WriteStream = process.stdout): ReturnType<typeof pc.createColors> {
  const enabled = Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return pc.createColors(enabled || 'FORCE_COLOR' in process.env);
}
