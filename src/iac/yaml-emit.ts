/**
 * A tiny block-YAML writer for the snippets the fixes add. Strings are written verbatim, so a
 * caller can write short tags (`!GetAtt X.Arn`) and `${...}` variables exactly as wanted.
 * Keys starting with `#` write a comment line.
 */
export type Emittable = string | number | boolean | EmitMap | EmitMap[] | string[];
export interface EmitMap {
  [key: string]: Emittable;
}

export function emitLines(obj: EmitMap, unit: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key.startsWith('#')) {
      out.push(`# ${String(value)}`);
    } else if (Array.isArray(value)) {
      out.push(`${key}:`);
      for (const item of value) {
        if (typeof item === 'object') {
          const lines = emitLines(item, unit);
          out.push(`${unit}- ${lines[0] ?? ''}`, ...lines.slice(1).map((l) => `${unit}  ${l}`));
        } else out.push(`${unit}- ${String(item)}`);
      }
    } else if (typeof value === 'object') {
      out.push(`${key}:`, ...emitLines(value, unit).map((l) => unit + l));
    } else {
      out.push(`${key}: ${String(value)}`);
    }
  }
  return out;
}
