export function run(console: { log(msg: string): void }, items: string[]) {
  console.log('local console');
  items.forEach((item) => {
    const logger = { info: (m: string) => m };
    console.log(logger.info(item));
  });
}

export function main(jobId: string) {
  const done = (logger: unknown) => console.info('done ' + jobId, logger);
  try {
    done(null);
  } catch (e: any) {
    console.error('Job failed', e);
  }
}
