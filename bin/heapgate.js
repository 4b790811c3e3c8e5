#!/usr/bin/env node
import { run } from '../build/bundle/cli.js';

await run(process.argv);
