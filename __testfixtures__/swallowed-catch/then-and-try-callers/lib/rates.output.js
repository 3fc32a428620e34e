import { classify } from './resilience/errors';
const RATES_URL = 'https://rates.example.com/latest';

export function fetchRates() {
  return fetch(RATES_URL, { signal: AbortSignal.timeout(3000) })
    .then((res) => res.json())
    .catch((err) => {
    throw classify(err);
  });
}
