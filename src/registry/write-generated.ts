import fs from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../catalog/catalog';
import { MODULE_INDEXES, moduleIndexSource, projectRoot, readmeWithTable, rulesTable } from './generated-files';

/** `npm run docs:rules`: rewrites the registry's module index and the README's rules table. */
function main(): void {
  const root = projectRoot();
  for (const [dir, file] of Object.entries(MODULE_INDEXES))
    fs.writeFileSync(path.join(root, file), moduleIndexSource(root, dir as keyof typeof MODULE_INDEXES));
  const readme = path.join(root, 'README.md');
  fs.writeFileSync(readme, readmeWithTable(fs.readFileSync(readme, 'utf8'), rulesTable(loadCatalog(), root)));
  console.log(`wrote ${Object.values(MODULE_INDEXES).join(', ')} and the rules table of README.md`);
}

main();
