import { classify } from './resilience/errors';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';

const s3 = new S3Client({});

/** Reads the feature flags document. */
async function readFlags(bucket: string): Promise<Record<string, boolean>> {
  // one object per environment
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'flags.json' })); // small file
    return JSON.parse(await out.Body!.transformToString());
  } catch (e) {
    // eslint-disable-next-line no-console
    console.error('flags read failed', e);
    /* TODO: alert */
    throw classify(e); // defaults
  }
}

async function readBanner(bucket: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'banner.txt' }));
    return await out.Body?.transformToString();
  } catch (err) {
    // TODO
    throw classify(err);
  }
  return undefined;
}

export async function settings(bucket: string) {
  try {
    return { flags: await readFlags(bucket), banner: await readBanner(bucket) };
  } catch (err) {
    throw new Error('settings unavailable', { cause: err });
  }
}
