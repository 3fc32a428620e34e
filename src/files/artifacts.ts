import { isScriptPath } from './file-role';

/**
 * Files a fix must never rewrite: what a tool generates (synthesized or packaged templates,
 * build output) and local harness scripts that only exercise the service by hand.
 */

/** Directories whose files are build or deploy output, at any depth. */
const OUTPUT_DIRS = /(^|\/)(cdk\.out|\.aws-sam|\.serverless|\.build|\.esbuild|\.webpack)\//;
/** Synthesized by the CDK: every resource carries its construct path, and the toolkit adds CDKMetadata. */
const CDK_SYNTH = /["']?aws:cdk:path["']?\s*:|AWS::CDK::Metadata/;
const CODE_URI = /^\s*["']?CodeUri["']?\s*:\s*["']?([^\s"',}]+)/gm;

/** Why an IaC file is a generated artifact (left alone, not checked), or null when it is a source. */
export function generatedTemplateReason(file: string, text: string): string | null {
  if (OUTPUT_DIRS.test(file)) return 'build or deploy output';
  if (CDK_SYNTH.test(text)) return "synthesized by the CDK (aws:cdk:path metadata): fix the stack's source instead";
  const uris = [...text.matchAll(CODE_URI)].map((m) => m[1]!);
  if (uris.length > 0 && uris.every((u) => u.startsWith('s3://')))
    return 'packaged by `sam package` (CodeUri: s3://…): fix the source template instead';
  return null;
}

/** Local harness, operator and seed scripts by their path: run by hand, not part of what ships (see file-role.ts). */
export function isHarnessScript(file: string): boolean {
  return isScriptPath(file);
}
