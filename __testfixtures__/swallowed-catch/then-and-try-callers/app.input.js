import { fetchRates } from './lib/rates.js';

export function showRates(render, showError) {
  return fetchRates().then(render).catch(showError);
}

export async function convert(amount, currency) {
  try {
    const rates = await fetchRates();
    return amount * rates[currency];
  } catch (err) {
    throw new Error(`cannot convert to ${currency}`, { cause: err });
  }
}
