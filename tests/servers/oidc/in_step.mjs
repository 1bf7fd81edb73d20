// node in_step.mjs FOLDER: exit 0 if FOLDER/node_modules holds exactly what
// FOLDER/package-lock.json lists (npm ci records what it installed in
// node_modules/.package-lock.json), else 1: then start.sh runs npm ci.
import fs from 'node:fs';

const dir = process.argv[2];
const want = JSON.parse(fs.readFileSync(`${dir}/package-lock.json`, 'utf8')).packages;
let have;
try {
  have = JSON.parse(fs.readFileSync(`${dir}/node_modules/.package-lock.json`, 'utf8')).packages;
} catch {
  process.exit(1);
}
for (const [name, v] of Object.entries(want)) {
  if (name && (!have[name] || have[name].version !== v.version || have[name].integrity !== v.integrity)) process.exit(1);
}
process.exit(0);
