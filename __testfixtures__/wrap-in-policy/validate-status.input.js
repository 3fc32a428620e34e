'use strict';

const axios = require('axios');

// this client resolves on every status: the policy counts 5xx and 429 answers as failures itself
const api = axios.create({ baseURL: 'https://inventory.example.com', timeout: 6000, validateStatus: () => true });

async function stock(sku) {
  const res = await api.get(`/stock/${sku}`);
  if (res.status !== 200) return null;
  return res.data.available;
}

module.exports = { stock };
