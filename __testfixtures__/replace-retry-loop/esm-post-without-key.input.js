import got from 'got';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function notify(event) {
  let tries = 0;
  while (true) {
    try {
      await got.post('https://hooks.example.com/events', { json: event, timeout: { request: 6000 } });
      break;
    } catch (err) {
      tries++;
      if (tries >= 4) {
        console.error('giving up on the hook', err);
        throw err;
      }
      await sleep(250);
    }
  }
}
