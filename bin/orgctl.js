#!/usr/bin/env node
'use strict';
// orgctl is compiled TypeScript: `npm ci` builds dist/ (the `prepare` script), as does `npm run build`.
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('orgctl: not built yet; run `npm run build` in the orgd directory\n');
  process.exit(1);
}
require(entry);
