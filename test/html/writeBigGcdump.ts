/**
 * Writes the million-object .gcdump of the size test: `vite-node test/html/writeBigGcdump.ts <file>`.
 * Run as its own process so the seconds of synchronous writing never stall a test worker.
 */
import { writeFileSync } from 'node:fs';
import { writeGcdump } from '../support/gcdumpWriter.js';
import { bigGraph } from './fixtures.js';

writeFileSync(process.argv[2], writeGcdump(bigGraph(1_000_000)));
