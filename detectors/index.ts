import type { CodeDetector } from '../src/detect/detector-api';
import dependencyPolicies from './dependency-policies';
import errorHandling from './error-handling';
import healthProbes from './health-probes';
import idempotency from './idempotency';
import lambdaState from './lambda-state';
import logging from './logging';
import retryLoops from './retry-loops';
import timeouts from './timeouts';
import callers from './callers';
import capacity from './capacity';
import configHygiene from './config-hygiene';
import correlation from './correlation';
import gracefulShutdown from './graceful-shutdown';
import longTimeouts from './long-timeouts';
import rateLimit from './rate-limit';
import routeRejections from './route-rejections';
import secrets from './secrets';

/** Every code detector; they share one parse and one traversal per file. */
export const codeDetectors: readonly CodeDetector[] = [
  timeouts,
  dependencyPolicies,
  retryLoops,
  errorHandling,
  callers,
  routeRejections,
  logging,
  healthProbes,
  lambdaState,
  idempotency,
  gracefulShutdown,
  longTimeouts,
  configHygiene,
  secrets,
  correlation,
  capacity,
  rateLimit,
];
