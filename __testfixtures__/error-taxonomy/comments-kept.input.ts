// Catalog client: one module-level client, reused across invocations.
/* eslint-disable no-console */
import { S3Client } from '@aws-sdk/client-s3';

/** The shared client. */
export const s3 = new S3Client({}); // region from the environment
