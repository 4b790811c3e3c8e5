/** Every JSON document heapgate prints carries `schemaVersion` and says which command made it. */
export const JSON_SCHEMA_VERSION = 1;

export function jsonDocument(command: string, body: object): string {
  return JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command, ...body }, null, 2) + '\n';
}
