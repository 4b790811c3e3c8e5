#!/usr/bin/env node
// CommonJS (see bin/package.json), like the bundle it starts: Node then never starts its ES module
// loader, which would cost every run ~10 ms.
// Node 22.1 and later keep the compiled bundle between runs (in the OS temp folder; off with
// NODE_DISABLE_COMPILE_CACHE=1), as tsc does; Node 20 has no such cache.
require('node:module').enableCompileCache?.();
require('../build/bundle/cli.cjs').run(process.argv);
