import type { CodeDetector } from '../detect/detector-api';
import { detectorModules } from './detector-modules';

/*
 * The registry of code detectors, each declaring the catalog rule ids it reports (the rule id
 * is the join key with config/anti-patterns.yaml; fix steps are in ./fix-steps). Apart from
 * the fix steps, so that the scan and its workers load no transform.
 */

/** Every code detector; they share one parse and one traversal per file. */
export const codeDetectors: readonly CodeDetector[] = detectorModules;
