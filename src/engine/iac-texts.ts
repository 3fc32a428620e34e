import type { IacInputFile } from '../types';
import type { FileChange } from '../types';

interface Entry {
  file: IacInputFile;
  /** the text on disk */
  before: string;
  after: string;
}

/**
 * The IaC files of a fix run as they will be written: first the IaC fixes' output, then the
 * infrastructure code fixes need, added through trials that are kept only when the code fix
 * is made.
 */
export class IacTexts {
  private readonly entries = new Map<string, Entry>();
  readonly dependencies: Array<{ file: string; name: string }> = [];

  constructor(files: readonly IacInputFile[], changes: readonly FileChange[]) {
    for (const f of files) this.entries.set(f.path, { file: f, before: f.text, after: f.text });
    for (const c of changes) {
      const e = this.entries.get(c.file);
      if (e) e.after = c.after;
    }
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  input(path: string): IacInputFile {
    const e = this.entries.get(path);
    if (!e) throw new Error(`${path} is not an IaC file of this scan`);
    return { ...e.file, text: e.after };
  }

  /** Edits on top of the current texts, applied only by commit(). */
  trial(): {
    input(path: string): IacInputFile;
    set(path: string, text: string, added: string[], dependencies: string[]): void;
    commit(): string[];
  } {
    const pending = new Map<string, string>();
    const notes: string[] = [];
    const deps: Array<{ file: string; name: string }> = [];
    return {
      input: (path) => ({ ...this.input(path), text: pending.get(path) ?? this.input(path).text }),
      set: (path, text, added, dependencies) => {
        pending.set(path, text);
        notes.push(...added.map((a) => `${path}: ${a}`));
        deps.push(...dependencies.map((name) => ({ file: path, name })));
      },
      commit: () => {
        for (const [path, text] of pending) this.entries.get(path)!.after = text;
        this.dependencies.push(...deps);
        return notes;
      },
    };
  }

  /** Files whose text differs from the disk. */
  changed(): Array<{ file: string; before: string; after: string }> {
    return [...this.entries.values()]
      .filter((e) => e.after !== e.before)
      .map((e) => ({ file: e.file.path, before: e.before, after: e.after }));
  }
}
