'use strict';

const https = require('node:https');

exports.ping = (url) => new Promise((resolve, reject) => https.get(url, resolve).on('error', reject));
