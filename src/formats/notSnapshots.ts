/** Files met in place of a snapshot that are recognisably something else: each read says what to do. */
import { FormatError } from '../errors.js';
import { ascii, describeHead } from './head.js';
import type { SnapshotSource } from './source.js';

function refused(
  name: string,
  kind: string,
  matches: (head: Uint8Array) => boolean,
  why: string,
): SnapshotSource {
  return {
    name,
    formats: [],
    detect: (head) => (matches(head) ? kind : null),
    read: (file) => Promise.reject(new FormatError(file.path, 0, why)),
  };
}

export const emptyFile = refused(
  'empty file',
  'empty',
  (head) => head.length === 0,
  'the file is empty — expected a .gcdump, a memory dump or SOS text output',
);

const LFS_PREFIX = 'version https://git-lfs.github.com/spec/';

export const gitLfsPointer = refused(
  'Git LFS pointer',
  'git-lfs-pointer',
  (head) => ascii(head, 0, LFS_PREFIX.length) === LFS_PREFIX,
  'this is a Git LFS pointer, not the snapshot itself — fetch the real file first (git lfs pull, or `lfs: true` in actions/checkout)',
);

/** What no source claims. */
export const unrecognised: SnapshotSource = {
  name: 'unrecognised file',
  formats: [],
  detect: () => 'unknown',
  read: (file) =>
    Promise.reject(
      new FormatError(
        file.path,
        0,
        `not a recognised snapshot: expected a .gcdump ('!FastSerialization.1' header), a memory dump, or SOS/dotnet-gcdump text; the file starts with ${describeHead(file.head)}`,
      ),
    ),
};
