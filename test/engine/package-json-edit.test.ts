import { describe, expect, it } from 'vitest';
import { addDependencies } from '../../src/engine/package-json-edit';
import { withTestRunner } from '../../src/engine/failure-tests';

/* A fix that adds a library edits package.json the way a person would: nothing it did not add moves. */

describe('package.json edits', () => {
  it('keeps the order of an unsorted dependencies section and appends the new entry', () => {
    const text =
      '{\n  "name": "x",\n  "dependencies": {\n    "picomatch": "^4.0.2",\n    "neo-async": "^2.5.0"\n  }\n}\n';
    const out = addDependencies(text, new Map([['cockatiel', '^3.2.1']]))!;
    expect(Object.keys(JSON.parse(out).dependencies)).toEqual(['picomatch', 'neo-async', 'cockatiel']);
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('inserts by name into a sorted section, keeps tabs and CRLF, and changes nothing when present', () => {
    const text = '{\r\n\t"dependencies": {\r\n\t\t"axios": "^1.0.0",\r\n\t\t"zod": "^3.0.0"\r\n\t}\r\n}';
    const out = addDependencies(text, new Map([['cockatiel', '^3.2.1']]))!;
    expect(out).toBe(
      '{\r\n\t"dependencies": {\r\n\t\t"axios": "^1.0.0",\r\n\t\t"cockatiel": "^3.2.1",\r\n\t\t"zod": "^3.0.0"\r\n\t}\r\n}',
    );
    expect(addDependencies(out, new Map([['cockatiel', '^3.2.1']]))).toBeNull();
  });

  it('adds the test runner to devDependencies the same way', () => {
    const text = '{\n  "devDependencies": {\n    "typescript": "^5.0.0",\n    "eslint": "^9.0.0"\n  }\n}\n';
    const out = JSON.parse(withTestRunner(text, 'vitest', '^4.0.0')!);
    expect(Object.keys(out.devDependencies)).toEqual(['typescript', 'eslint', 'vitest']);
    expect(out.scripts).toEqual({ test: 'vitest run' });
  });
});
