import http from 'node:http';
import express from 'express';

export async function start(port: number): Promise<void> {
  const app = express();
  app.post('/pay', pay);
  const server = http.createServer(app);
  server.listen(port);
}
