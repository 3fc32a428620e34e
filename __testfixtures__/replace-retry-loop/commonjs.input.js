'use strict';

const axios = require('axios');

const MAX_ATTEMPTS = 5;
const DELAY_MS = 200;

async function loadProfile(id) {
  let attempt = 0;
  while (attempt < MAX_ATTEMPTS) {
    try {
      const res = await axios.get(`https://profiles.example.com/users/${id}`, { timeout: 6000 });
      return res.data;
    } catch (err) {
      attempt += 1;
      await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
    }
  }
  throw new Error(`profile ${id} unavailable`);
}

module.exports = { loadProfile };
