#!/usr/bin/env node
// CommonJS (see bin/package.json), like the bundle it starts: Node then never starts its ES module
// loader, which would cost every run ~10 ms.
require('../build/bundle/cli.cjs').run(process.argv);
