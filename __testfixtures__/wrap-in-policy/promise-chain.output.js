const express = require('express');
const { policyFor } = require('./resilience/policies');
const axios = require('axios');

const router = express.Router();

// the payment service is called without await: the chain answers the client
router.post('/', async (req, res) => {
  policyFor('axios', { idempotent: false }).execute(({ signal }) => axios.post(process.env.PAYMENT_ADDR + '/payment', req.body, { signal }))
    .then((response) => res.status(response.status).send(response.data))
    .catch((err) => res.status(502).send({ message: err.message }));
});

router.get('/:id', (req, res) => {
  axios.get(`${process.env.PAYMENT_ADDR}/payment/${req.params.id}`)
    .then((response) => res.send(response.data), (err) => res.status(err.response.status).send(err.response.data));
});

router.get('/', (req, res) => {
  fetch(`${process.env.PAYMENT_ADDR}/payments`)
    .then((response) => response.json())
    .then((payments) => res.send(payments));
});

module.exports = router;
