import pino from 'pino';

const logger = pino();

export function start(port: number) {
  console.log(`listening on ${port}`);
  logger.info({ port }, 'started');
}
