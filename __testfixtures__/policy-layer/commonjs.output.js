'use strict';

const axios = require('axios');

module.exports.get = async (url) => (await axios.get(url)).data;
