import { classify, isInfraFailure } from './resilience/errors';

export async function load(url: string): Promise<unknown> {
  try {
    return await (await fetch(url)).json();
  } catch (err) {
    if (isInfraFailure(err)) throw classify(err, 'catalog');
    throw err;
  }
}
