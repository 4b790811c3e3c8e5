/** A small .gcdump whose shape exercises the export: size buckets, undefined references, odd names. */
import type { WriterGraph } from '../support/gcdumpWriter.js';

/** Type names that JSON, HTML and DevTools must carry through unchanged. */
export const ODD_NAMES = [
  'Evil."Quoted"\\Back\u2028Line</script>',
  'Ünïcødé.Типы<System.Int32,System.String>',
];

export function exportGraph(): WriterGraph {
  return {
    types: [
      { name: 'UNDEFINED', size: 0 },
      { name: '[.NET Roots]', size: 0 },
      { name: '[static vars]', size: 0 },
      { name: '[static var App.Cache.s_items]', size: 0 },
      { name: '[strong Handles]', size: 0 },
      { name: 'System.Object[]', size: -1 },
      { name: 'System.Byte[]', size: -1 },
      { name: 'System.Byte[] (Bytes > 10K)', size: -1 },
      { name: ODD_NAMES[0], size: 40 },
      { name: ODD_NAMES[1], size: 32 },
      { name: 'App.Unreachable', size: 24 },
      { name: 'App.ZeroSized', size: 0 },
    ],
    nodes: [
      /* 0 */ { type: 1, children: [1, 2] },
      /* 1 */ { type: 2, children: [3] },
      /* 2 */ { type: 4, children: [5] },
      /* 3 */ { type: 3, children: [4] },
      /* 4 */ { type: 5, size: 64, children: [6, 7, 8, 9, 10, 11], address: 0x7f0000001000 },
      /* 5 */ { type: 6, size: 1024, address: 0x7f0000002000 },
      /* 6 */ { type: 7, size: 20_000, address: 0x7f0000003000 },
      /* 7 */ { type: 8, children: [9], address: 0x7f0000010000 },
      /* 8 */ { type: 8, address: 0x7f0000010040 },
      /* 9 */ { type: 9, children: [12], address: 0x7f0000010080 },
      /* 10 */ { type: 0 },
      /* 11 */ { type: 11, address: 0x7f00000100c0 },
      /* 12 */ { type: 6, size: 100, address: 0x7f0000010100 },
      /* 13 */ { type: 10, address: 0x7f0000020000 },
    ],
    root: 0,
  };
}
