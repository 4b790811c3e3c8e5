#!/usr/bin/env node
import { run } from '../build/cli/entry.js';

await run(process.argv);
