'use strict';

const { policyFor } = require('./resilience/policies');

const axios = require('axios');

async function loadProfile(id) {
  try {
    const res = await policyFor('profiles.example.com', { maxAttempts: 4, initialDelayMs: 200 }).execute(({ signal }) => axios.get(`https://profiles.example.com/users/${id}`, { timeout: 6000, signal }));
    return res.data;
  } catch (err) {
    throw new Error(`profile ${id} unavailable`);
  }
}

module.exports = { loadProfile };
