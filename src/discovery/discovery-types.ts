/** The spec's six dependency categories (seed 000, phase 1.2). */
export type DependencyCategory = 'internal-api' | 'external-api' | 'database' | 'event-bus' | 'auth-provider' | 'ml-ai';

export type LambdaTrigger =
  'http' | 'sqs' | 'sns' | 'eventbridge' | 'kinesis' | 'dynamodb-stream' | 's3' | 'schedule' | 'unknown';

/** A Lambda function's handler, found in IaC (serverless/SAM/CDK) or by its signature in code. */
export interface LambdaHandler {
  /** posix path relative to the root, of the source file */
  file: string;
  exportName: string;
  triggers: LambdaTrigger[];
  /** function name in the IaC, when known */
  functionName?: string;
  /** where it was found: 'iac' or 'code' */
  source: 'iac' | 'code';
  /** the IaC file and line declaring the function */
  declaredAt?: { file: string; line: number };
}

export interface DiscoveredDependency {
  name: string;
  category: DependencyCategory;
  /** npm module the client comes from, e.g. "axios", "@aws-sdk/client-dynamodb" */
  module: string;
  files: string[];
  callSites: number;
  /** current protection seen at its call sites */
  protection: { timeout: boolean; retry: boolean; breaker: boolean };
}

export interface ResilienceLibraryUse {
  name: string;
  files: string[];
}

export interface Discovery {
  serviceName: string;
  language: 'typescript' | 'javascript' | 'mixed' | 'unknown';
  moduleSystem: 'esm' | 'commonjs' | 'mixed' | 'unknown';
  frameworks: string[];
  iac: string[];
  cloud: string[];
  packageManager: 'npm' | 'yarn' | 'pnpm' | 'bun' | 'unknown';
  workspaces: string[];
  lambdaHandlers: LambdaHandler[];
  dependencies: DiscoveredDependency[];
  resilienceLibraries: ResilienceLibraryUse[];
}
