/**
 * esbuild plugin: bundles zod's English messages only. zod's classic API re-exports every locale
 * (`z.locales`, `z.core.locales`: 360 KB of the CLI's zod chunk) although it formats messages in English unless told
 * otherwise, and heapgate never tells it otherwise. Loading less makes `check` start faster. If
 * zod moves its locales, nothing matches and the bundle simply keeps them all.
 */
import { dirname, join, sep } from 'node:path';

export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(`${sep}zod${sep}v4${sep}`)) return undefined;
      // A name, not a path: it shows in the bundle, which must not depend on where it is built.
      return {
        path: 'zod/v4/locales',
        namespace: 'zod-english-only',
        pluginData: { dir: join(dirname(args.importer), '..', 'locales') },
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from './en.js';`,
      resolveDir: args.pluginData.dir,
      loader: 'js',
    }));
  },
};
