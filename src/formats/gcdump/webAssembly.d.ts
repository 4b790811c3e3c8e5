// The part of the WebAssembly JavaScript API heapgate uses. Node provides it; TypeScript declares
// it only in the DOM library, which a Node build leaves out.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, Memory>>);
    readonly exports: Record<string, unknown>;
  }
}
