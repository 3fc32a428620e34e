import fs from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { closest, distance } from 'fastest-levenshtein';
import { UsageError } from '../errors';
import { setColorMode } from '../report/colors';
import { VERSION } from '../version';
import { parseShard } from '../workspaces/shard';
import { collectList, maxFindings, severity } from './parse-list';
// Each command's modules are imported when it runs: --help, --version and usage errors answer
// at once (0.2 s instead of 0.55 s), and a scan never loads jscodeshift/recast.
import { canPrompt } from '../planner/terminal';

const EXAMPLES = `
Examples:
  $ harden-codemod                                on a terminal: the interactive planner, phase by phase
  $ harden-codemod --dry-run                      show every fix as a diff, write nothing
  $ harden-codemod --analyze                      Analyze mode: report + playbook, no code change
  $ harden-codemod --dependency payments          Targeted: only what concerns one dependency
  $ harden-codemod scan src --format json         findings as JSON (or sarif, markdown) for CI
  $ harden-codemod scan --severity critical       report and fail on critical findings only
  $ harden-codemod scan -f sarif -o results.sarif write the report to a file
  $ harden-codemod scan --only no-timeout,no-retry
  $ harden-codemod scan --package 'services/*' --shard 1/4
  $ harden-codemod fix --yes                      apply every fixable finding, then re-scan
  $ harden-codemod playbook | review | plan       the hardening playbook, readiness review, reliability plan

Exit codes: 0 no finding at or above --severity (or no more than --max-findings) · 1 findings
(for --dry-run: findings the fix leaves) · 2 usage, config or input error, nothing to scan, a write
or install that failed · 130 cancelled.
Suppress one finding inline: // harden-codemod-ignore <rule-id> -- <reason>`;

function addScanOptions(cmd: Command): Command {
  return cmd
    .option('--only <ids>', 'only these rule ids (comma-separated, repeatable)', collectList)
    .option('--skip <ids>', 'skip these rule ids (comma-separated, repeatable)', collectList)
    .option('--include <glob>', 'only files matching the glob (repeatable)', collectList)
    .option('--exclude <glob>', 'skip files matching the glob (repeatable)', collectList)
    .option('--include-tests', 'also scan test files (*.test.*, *.spec.*, __tests__, test/)')
    .option('--include-scripts', 'also report findings in scripts run by hand (local harnesses, scripts/, seeds, CLIs)')
    .option(
      '-c, --config <file>',
      'config file (default: harden-codemod.config.json|yaml or package.json "harden-codemod")',
    )
    .option('--package <name|glob>', 'only these workspace packages of a monorepo (repeatable)', collectList)
    .option('--shard <i/n>', 'only shard i of n (deterministic split for CI matrices)', parseShard)
    .option('--changed-since <ref>', 'only files changed since a git ref (plus uncommitted ones)')
    .option('-q, --quiet', 'only findings, diffs and the summary: no discovery lines, no progress bar')
    .option('--no-cache', 'do not read or write the detection cache (node_modules/.cache/harden-codemod)')
    .option('--color', 'colour the output even when it is not a terminal')
    .option('--no-color', 'no colour (NO_COLOR=1 does the same)');
}

/** What the findings report shows and when the run fails: scan, --dry-run and Analyze mode. */
function addReportOptions(cmd: Command): Command {
  return cmd
    .option(
      '--severity <level>',
      'lowest severity reported and counted for the exit code: critical, high, medium, low',
      severity,
      'low',
    )
    .option(
      '--max-findings <n>',
      'exit 1 only when more than n findings at or above --severity are left (default 0)',
      maxFindings,
    )
    .option('--verbose', 'the impact and the fix of each rule under its findings');
}

/**
 * The bare command takes paths: a word that is no path but close to a command name is a
 * mistyped command (`scna`), said so rather than "path not found".
 */
function checkMistypedCommand(program: Command, paths: string[]): void {
  const first = paths[0];
  if (first === undefined || fs.existsSync(first) || !/^[a-z][a-z-]*$/.test(first)) return;
  const names = program.commands.map((c) => c.name());
  const best = closest(first, names);
  const d = distance(first, best);
  // two edits (a swapped pair counts two) in a word of three letters or more: a typo, not a path
  if (d <= 2 && d < first.length) {
    throw new UsageError(
      `unknown command "${first}": did you mean "${best}"? (no file or folder is named ${first} either)`,
    );
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('harden-codemod')
    // options of the bare command only before a subcommand: `fix --dry-run` is fix's own flag
    .enablePositionalOptions()
    // set before the subcommands are added, so they inherit it: usage errors exit 2, not 1
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .description('Find resilience anti-patterns in a Node.js/TypeScript service and its AWS IaC, and fix them.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXAMPLES)
    // --color / --no-color of the command that runs, for every report it prints
    .hook('preAction', (_program, action) => setColorMode(action.opts().color as boolean | undefined));

  addScanOptions(
    program
      .command('scan')
      .description('report resilience anti-patterns')
      .argument('[paths...]', 'files or directories to scan', [])
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['text', 'json', 'sarif', 'markdown'])
          .default('text'),
      )
      .option('-o, --output-file <file>', 'write the report to this file instead of stdout')
      .option('--baseline <file>', 'report only findings not in this baseline file (written on first use)')
      .option('--update-baseline', 'rewrite the --baseline file with the current findings'),
  );
  addReportOptions(program.commands[program.commands.length - 1]!).action(async (paths: string[], opts) => {
    program.setOptionValue('exitCode', await (await import('./scan-command')).scanCommand(paths, opts));
  });
  addScanOptions(
    program
      .command('fix')
      .description("rewrite the code and IaC to fix findings (in the spec's implementation order)")
      .argument('[paths...]', 'files or directories', [])
      .option('-y, --yes', 'apply every fixable finding without prompting')
      .option('--dry-run', 'print the findings and a diff of every change; write nothing')
      .option('--allow-dirty', 'rewrite files that have uncommitted git changes')
      .option('--allow-symlinks', 'rewrite the file a symbolic link points to (refused otherwise)')
      .option('--allow-read-only', 'rewrite files that have no write permission (refused otherwise)')
      .option('--install', 'run the package manager to install added dependencies'),
  );
  addReportOptions(program.commands[program.commands.length - 1]!).action(async (paths: string[], opts) => {
    // on a terminal, `fix` alone steps through the fixes; elsewhere there is nobody to ask (fixCommand says so)
    if (!opts.dryRun && !opts.yes && canPrompt()) {
      program.setOptionValue('exitCode', await (await import('../planner/interactive')).runPlanner(paths, opts));
      return;
    }
    program.setOptionValue('exitCode', await (await import('./fix-command')).fixCommand(paths, opts));
  });

  addScanOptions(
    program
      .command('playbook')
      .description('write the hardening playbook (Analyze mode: no code change)')
      .argument('[paths...]', 'files or directories', [])
      .option('-o, --out <file>', 'where to write it, relative to the root', '.opencode/docs/HARDENING-PLAYBOOK.md'),
  ).action(async (paths: string[], opts) => {
    program.setOptionValue('exitCode', await (await import('./playbook-command')).playbookCommand(paths, opts));
  });

  addScanOptions(
    program
      .command('review')
      .description('write the production-readiness review (checklist with evidence, gaps, sign-off)')
      .argument('[paths...]', 'files or directories', [])
      .option(
        '-o, --out <file>',
        'where to write it, relative to the root',
        '.opencode/docs/PRODUCTION-READINESS-REVIEW.md',
      ),
  ).action(async (paths: string[], opts) => {
    program.setOptionValue(
      'exitCode',
      await (await import('./documents-command')).documentCommand('review', paths, opts),
    );
  });

  addScanOptions(
    program
      .command('plan')
      .description('write the reliability improvement plan (scorecard, risks, remediation phases)')
      .argument('[paths...]', 'files or directories', [])
      .option(
        '-o, --out <file>',
        'where to write it, relative to the root',
        '.opencode/docs/RELIABILITY-IMPROVEMENT-PLAN.md',
      )
      .option('--availability-target <pct>', "the workload's availability target, e.g. 99.9%"),
  ).action(async (paths: string[], opts) => {
    program.setOptionValue(
      'exitCode',
      await (await import('./documents-command')).documentCommand('plan', paths, opts),
    );
  });

  // the bare command: the planner on a terminal, Analyze mode elsewhere; --dry-run previews every fix
  addReportOptions(addScanOptions(program))
    .argument('[paths...]', 'files or directories', [])
    .option('--dry-run', 'preview every fix as a diff; write nothing')
    .option(
      '--analyze',
      'Analyze mode: print the report and write the playbook, change no code (the default without a terminal)',
    )
    .option(
      '--dependency <name>',
      'Targeted mode: only findings of this dependency (name or file path, case-insensitive)',
    )
    .option('--allow-dirty', 'rewrite files that have uncommitted git changes')
    .option('--allow-symlinks', 'rewrite the file a symbolic link points to (refused otherwise)')
    .option('--allow-read-only', 'rewrite files that have no write permission (refused otherwise)')
    .action(async (paths: string[], opts) => {
      checkMistypedCommand(program, paths);
      if (opts.dryRun) {
        const select =
          opts.dependency === undefined
            ? undefined
            : (await import('../planner/targeted')).matchesDependency(opts.dependency);
        program.setOptionValue(
          'exitCode',
          await (await import('./fix-command')).fixCommand(paths, { ...opts, dryRun: true }, select),
        );
        return;
      }
      if (opts.analyze || !canPrompt()) {
        program.setOptionValue('exitCode', await (await import('../planner/analyze-mode')).analyzeMode(paths, opts));
        return;
      }
      program.setOptionValue('exitCode', await (await import('../planner/interactive')).runPlanner(paths, opts));
    });
  return program;
}

/** Runs the CLI; returns the exit code (0 clean, 1 findings, 2 usage/config/input error). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return (program.getOptionValue('exitCode') as number | undefined) ?? 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return 0;
      return 2;
    }
    if (err instanceof Error && err.name === 'InterruptedError') {
      process.stderr.write(`harden-codemod: ${err.message}\n`);
      return 130;
    }
    if (err instanceof UsageError || (err instanceof Error && err.name === 'WriteError')) {
      process.stderr.write(`harden-codemod: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`harden-codemod: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  } finally {
    setColorMode(undefined);
  }
}
