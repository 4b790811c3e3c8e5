/** A command line run the way a workflow's `run:` step runs it: through the platform's shell. */
export function shellCommand(
  line: string,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[] } {
  return platform === 'win32'
    ? { command: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', line] }
    : { command: '/bin/sh', args: ['-c', line] };
}
