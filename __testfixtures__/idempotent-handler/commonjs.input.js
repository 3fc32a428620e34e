'use strict';

const { logger } = require('./resilience/logger');
const { charge } = require('./payments');

exports.handler = async (event) => {
  for (const { body, messageId } of event.Records) {
    try {
      await charge(JSON.parse(body));
    } catch {
      logger.error('charge failed', { messageId });
    }
  }
};
