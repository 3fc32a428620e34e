const http = require('http');
const express = require('express');

const app = express();
app.get('/x', (req, res) => res.end());
http.createServer(app).listen(8080, () => console.log('up'));
