const axios = require('axios');
const logger = require('./logger');

async function fetchRates(currency) {
  try {
    const { data } = await axios.get(`https://rates.example.com/${currency}`, { timeout: 5000 });
    return data.rates;
  } catch (error) {
    logger.error({ error }, 'rates lookup failed');
    return {};
  }
}

async function rateFor(currency, target) {
  try {
    const rates = await fetchRates(currency);
    return rates[target];
  } catch (error) {
    throw new Error(`no ${currency}/${target} rate`, { cause: error });
  }
}

module.exports = { rateFor };
