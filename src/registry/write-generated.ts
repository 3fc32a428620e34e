import fs from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../catalog/catalog';
import { MODULE_INDEX, moduleIndexSource, projectRoot, readmeWithTable, rulesTable } from './generated-files';

/** `npm run docs:rules`: rewrites the registry's module index and the README's rules table. */
function main(): void {
  const root = projectRoot();
  fs.writeFileSync(path.join(root, MODULE_INDEX), moduleIndexSource(root));
  const readme = path.join(root, 'README.md');
  fs.writeFileSync(readme, readmeWithTable(fs.readFileSync(readme, 'utf8'), rulesTable(loadCatalog(), root)));
  console.log(`wrote ${MODULE_INDEX} and the rules table of README.md`);
}

main();
