'use strict';

const { ConsecutiveBreaker, circuitBreaker, handleAll } = require('cockatiel');

// CommonJS: no top-level await, so the breaker cannot be hydrated before it is built
const shippingBreaker = circuitBreaker(handleAll, { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(3) });

module.exports = { shippingBreaker };
