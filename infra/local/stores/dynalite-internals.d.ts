// The parts of dynalite 4.0.0 (pinned exactly) that local mode's TransactWriteItems is built from.
declare module 'dynalite/db' {
  import type { DynaliteStore } from 'dynalite/store';
  interface DynaliteDb {
    create(options: object): DynaliteStore;
    createKey(item: object, table: object): string;
    checkConditional(data: object, existing: object | undefined): Error | null | undefined;
    validateItem(item: object, table: object): Error | null | undefined;
    validateKey(key: object, table: object): Error | null | undefined;
    itemSize(item: object): number;
    updateIndexes(
      store: DynaliteStore,
      table: object,
      existing: object | undefined,
      item: object | undefined,
      cb: (err?: Error | null) => void,
    ): void;
  }
  const db: DynaliteDb;
  export = db;
}

declare module 'dynalite/store' {
  export interface ItemDb {
    lock(keys: string[], exec: (release: (done: () => void) => () => void) => void): void;
    get(key: string, cb: (err: (Error & { name: string }) | null, item?: object) => void): void;
    put(key: string, item: object, cb: (err?: Error | null) => void): void;
    del(key: string, cb: (err?: Error | null) => void): void;
  }
  export interface DynaliteStore {
    options: { maxItemSize: number };
    getTable(name: string, cb: (err: Error | null, table?: object) => void): void;
    getItemDb(name: string): ItemDb;
    getIndexDb(type: string, table: string, index: string): unknown;
  }
}

declare module 'dynalite/validations' {
  interface Validations {
    checkTypes(data: object, types: object): Record<string, unknown>;
    checkValidations(data: object, types: object, custom: unknown, store: unknown): void;
  }
  const validations: Validations;
  export = validations;
}

declare module 'dynalite/validations/*' {
  const validation: { types: object; custom?: unknown };
  export = validation;
}

declare module 'dynalite/actions/updateItem' {
  function updateItem(
    store: object,
    data: object,
    cb: (err: (Error & { statusCode?: number; body?: Record<string, unknown> }) | null) => void,
  ): void;
  export = updateItem;
}
