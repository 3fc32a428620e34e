const axios = require('axios');
const { classify } = require('./resilience/errors');
const logger = require('./logger');

async function fetchRates(currency) {
  try {
    const { data } = await axios.get(`https://rates.example.com/${currency}`, { timeout: 5000 });
    return data.rates;
  } catch (error) {
    logger.error({ error }, 'rates lookup failed');
    throw classify(error);
  }
}

module.exports = { fetchRates };
