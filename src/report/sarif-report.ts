import { pathToFileURL } from 'node:url';
import { loadCatalog, type CatalogRule } from '../catalog/catalog';
import type { FileNote, Finding, ScanResult, Severity } from '../types';
import { VERSION } from '../version';
import { fingerprinter } from './fingerprint';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://www.npmjs.com/package/harden-codemod';
const SRCROOT = '%SRCROOT%';
/** partialFingerprints key; bump the suffix if the algorithm changes */
const FINGERPRINT_KEY = 'hardenCodemodLineHash/v1';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning's own severity scale for non-security problems */
const PROBLEM_SEVERITY: Record<Severity, string> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'recommendation',
};

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface FileFix {
  before: string;
  after: string;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** A relative posix path as a URI reference (spaces and the like escaped, slashes kept). */
function toUri(file: string): string {
  return encodeURI(file).replace(/[?#]/g, (c) => encodeURIComponent(c));
}

function ruleDescriptor(rule: CatalogRule) {
  const refs = rule.references;
  const text = [rule.impact, `Fix: ${rule.fix}`, ...(refs.length ? [`References: ${refs.join(' ')}`] : [])].join(
    '\n\n',
  );
  const markdown = [
    `**Impact**: ${rule.impact}`,
    `**Fix**: ${rule.fix}`,
    ...(refs.length ? [`**References**:\n${refs.map((r) => `- <${r}>`).join('\n')}`] : []),
  ].join('\n\n');
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.impact },
    help: { text, markdown },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: [rule.area, 'resilience'],
      precision: 'high',
      'problem.severity': PROBLEM_SEVERITY[rule.severity],
    },
  };
}

/** Lines with their terminators, so joining them gives the text back. */
function splitKeepingEol(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The 1-based position where line element `i` starts (i may be one past the end). */
function positionOf(lines: string[], i: number): { line: number; column: number } {
  if (i < lines.length) return { line: i + 1, column: 1 };
  const last = lines[lines.length - 1];
  if (last === undefined) return { line: 1, column: 1 };
  if (last.endsWith('\n')) return { line: lines.length + 1, column: 1 };
  return { line: lines.length, column: last.length + 1 };
}

/**
 * The smallest single whole-line replacement that turns `before` into `after`: lines shared at
 * the start and at the end are left out. Null when nothing changes.
 */
export function minimalReplacement(
  before: string,
  after: string,
): { deletedRegion: SarifRegion; insertedContent: { text: string } } | null {
  if (before === after) return null;
  const a = splitKeepingEol(before);
  const b = splitKeepingEol(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const start = positionOf(a, prefix);
  const end = positionOf(a, a.length - suffix);
  return {
    deletedRegion: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column },
    insertedContent: { text: b.slice(prefix, b.length - suffix).join('') },
  };
}

function region(f: Finding): SarifRegion {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  const endColumn = Math.max(endLine === startLine ? startColumn : 1, f.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

/** What a file note tells code scanning: a file not checked is an error, a suppression to correct a warning. */
function notification(n: FileNote) {
  const level: Level =
    n.kind === 'parse-error' || n.kind === 'unreadable'
      ? n.message.startsWith('recovered from:')
        ? 'warning'
        : 'error'
      : n.kind === 'suppression'
        ? 'warning'
        : 'note';
  const region = n.line ? { region: { startLine: n.line, ...(n.column ? { startColumn: n.column } : {}) } } : {};
  return {
    level,
    message: { text: `${n.file}: ${n.message}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(n.file), uriBaseId: SRCROOT }, ...region } }],
    properties: { kind: n.kind },
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning: the whole catalog as rules, one result per finding with
 * a line-move-proof fingerprint, and, for fixable findings whose file change is known, the fix.
 */
export function sarifReport(result: ScanResult, fixes?: Map<string, FileFix>): string {
  const catalog = loadCatalog();
  const ruleIndex = new Map(catalog.rules.map((r, i) => [r.id, i]));
  const fingerprint = fingerprinter(result.root);
  const replacements = new Map<string, ReturnType<typeof minimalReplacement>>();
  const replacementFor = (file: string) => {
    if (!replacements.has(file)) {
      const change = fixes?.get(file);
      replacements.set(file, change ? minimalReplacement(change.before, change.after) : null);
    }
    return replacements.get(file) ?? null;
  };

  const results = result.findings.map((f) => {
    const index = ruleIndex.get(f.ruleId);
    const artifactLocation = { uri: toUri(f.file), uriBaseId: SRCROOT };
    const replacement = f.fixable ? replacementFor(f.file) : null;
    return {
      ruleId: f.ruleId,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation, region: region(f) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
      ...(replacement
        ? {
            fixes: [
              {
                description: { text: `The change harden-codemod fix makes to ${f.file}` },
                artifactChanges: [{ artifactLocation, replacements: [replacement] }],
              },
            ],
          }
        : {}),
      properties: {
        severity: f.severity,
        ...(f.dependency ? { dependency: f.dependency.name, category: f.dependency.category } : {}),
      },
    };
  });

  const rootUri = pathToFileURL(result.root).href;
  const notifications = result.notes.map((n) => notification(n));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'harden-codemod',
            informationUri: INFORMATION_URI,
            version: VERSION,
            semanticVersion: VERSION,
            rules: catalog.rules.map(ruleDescriptor),
          },
        },
        // SARIF requires a base URI to end with a slash
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri.endsWith('/') ? rootUri : `${rootUri}/` } },
        // files that could not be read or parsed are not silently green: code scanning lists them
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
