import type { JSCodeshift } from 'jscodeshift';
import { CHANGED, skipped, type FixOutcome } from './call-arguments';
import { insertArgumentCode, objectCodeWith, parseExpression, replaceInPlace, sourceOf } from './code-splice';
import { findProperty, isObjectLiteral } from './object-literals';
import type { PolicyCallSite } from './policy-call-sites';

/*
 * Threads the policy's abort signal into a request, so that a timed-out attempt cancels the
 * request instead of leaving it running: axios, got and fetch take `signal` in their options,
 * an AWS SDK v3 `send` takes `{ abortSignal }` as its second argument. New code is spliced in
 * as text (code-splice), since recast prints new object literals over several lines.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

/** `name: local` as code, written `name` when both are the same. */
function entryCode(name: string, local: string): string {
  return name === local ? name : `${name}: ${local}`;
}

/**
 * Puts the signal named `local` into the options of `call`, in the file's own layout. An
 * existing signal is combined with it (`AbortSignal.any`); options held in a variable or spread
 * arguments are left, since what they hold is unknown.
 */
export function threadSignal(j: JSCodeshift, site: PolicyCallSite, call: AnyNode, local: string): FixOutcome {
  const index = site.optionsIndex;
  if (typeof index !== 'number') return skipped(index.reason);
  const name = site.client === 'aws-sdk' ? 'abortSignal' : 'signal';
  const entry = entryCode(name, local);
  const args: AnyNode[] = call.arguments;
  if (args.slice(0, index + 1).some((a) => a.type === 'SpreadElement'))
    return skipped('spread arguments hide the request options');
  if (args.length <= index) {
    insertArgumentCode(j, call, args.length, [...Array<string>(index - args.length).fill('undefined'), `{ ${entry} }`]);
    return CHANGED;
  }
  const options = args[index];
  if (options.type === 'Identifier' && options.name === 'undefined') {
    args[index] = parseExpression(j, `{ ${entry} }`);
    return CHANGED;
  }
  if (
    site.client === 'aws-sdk' &&
    (options.type === 'ArrowFunctionExpression' || options.type === 'FunctionExpression')
  ) {
    return skipped('callback-style send() does not return a promise');
  }
  if (!isObjectLiteral(options))
    return skipped('the request options are not an object literal, so the abort signal cannot be added');
  const existing = findProperty(options, name);
  if (!existing) {
    // last, so that a spread of shared defaults cannot replace it
    const code = objectCodeWith(j, options, entry, 'last');
    if (!code || !replaceInPlace(j, options, code))
      options.properties.push(parseExpression(j, `{ ${entry} }`).properties[0]);
    return CHANGED;
  }
  if (existing.type !== 'ObjectProperty') return skipped(`the request's ${name} is not a plain property`);
  // either signal cancels the request
  existing.value = parseExpression(j, `AbortSignal.any([${sourceOf(j, existing.value)}, ${local}])`);
  existing.shorthand = false;
  return CHANGED;
}

/** Whether request options say the response is a stream, which an aborted signal would cut. */
export function streamsResponse(site: PolicyCallSite, call: AnyNode): boolean {
  if (site.client === 'aws-sdk')
    return /^(GetObject|GetObjectTorrent|SelectObjectContent|InvokeWithResponseStream|InvokeModelWithResponseStream|ConverseStream)Command$/.test(
      site.awsCommand ?? '',
    );
  const index = site.optionsIndex;
  const options = typeof index === 'number' ? call.arguments[index] : null;
  const prop = isObjectLiteral(options)
    ? findProperty(options, site.client === 'got' ? 'isStream' : 'responseType')
    : null;
  const value = prop?.value;
  return value?.type === 'BooleanLiteral' ? value.value : value?.type === 'StringLiteral' && value.value === 'stream';
}
