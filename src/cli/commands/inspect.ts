import type { Command } from 'commander';
import { decodeObject, parseAddress } from '../../dumpinfo/inspect.js';
import { renderInspectText } from '../../dumpinfo/inspectText.js';
import { queryDump } from '../../formats/dump/dumpQuery.js';
import { jsonDocument } from '../jsonOutput.js';
import { parseCount } from '../options.js';

interface InspectOptions {
  depth: number;
  json?: boolean;
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description(
      'fields and values of one object of a full dump: an object, array, string or boxed value, following references -r levels (SOS !DumpObject, !DumpArray, !DumpVC, SOSEX !mdt -r)',
    )
    .argument('<dump>', 'a full memory dump (dotnet-dump collect, createdump, procdump -ma)')
    .argument('<address>', 'the object address (hex, as SOS prints it; 0x and leading zeros optional)')
    .option('-r, --depth <n>', 'follow references and inline structs this many levels', parseCount, 0)
    .option('--json', 'print one JSON document')
    .action(async (file: string, addressArg: string, opts: InspectOptions) => {
      const address = parseAddress(addressArg);
      const obj = decodeObject(
        await queryDump(file, 'object', ['--address', address, '--depth', String(opts.depth)], {
          what: 'heapgate inspect',
        }),
      );
      process.stdout.write(
        opts.json ? jsonDocument('inspect', { source: file, object: obj }) : renderInspectText(obj),
      );
    });
}
