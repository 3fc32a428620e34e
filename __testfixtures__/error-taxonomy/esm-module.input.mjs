import { readFile } from 'node:fs/promises';

export const load = async (file) => JSON.parse(await readFile(file, 'utf8'));
