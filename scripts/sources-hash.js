// A hash of source files, names and contents in order: what js-node/inputs.json records of the
// sources a bundle was built from, so a test on a stale bundle fails.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** SHA-256 over each file's name (as given, relative to `root`) and content. */
export function sourcesHash(files, root = '.') {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}
