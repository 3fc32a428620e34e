import apiTimeoutAndTtl from './api-timeout-and-ttl';
import type { IacCheck } from './check-context';
import computeCapacity from './compute-capacity';
import concurrency from './concurrency';
import dataStores from './data-stores';
import dlqAlarm from './dlq-alarm';
import dlqRedrive from './dlq-redrive';
import eventReplay from './event-replay';
import lambdaDeployment from './lambda-deployment';
import noDlq from './no-dlq';

/** Every IaC check, each declaring the catalog rule ids it reports: the one list the IaC scan runs. */
export const IAC_CHECKS: readonly IacCheck[] = [
  noDlq,
  dlqAlarm,
  dlqRedrive,
  eventReplay,
  concurrency,
  apiTimeoutAndTtl,
  dataStores,
  computeCapacity,
  lambdaDeployment,
];
