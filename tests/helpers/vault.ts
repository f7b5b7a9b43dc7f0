import type { CairnDb } from '../../utils/background/db';
import type { SessionBackend, SessionValue } from '../../utils/background/vault-lock';
import { utf8 } from '../../utils/shared/encoding';

/** The unlocked-key store of one browser session, in memory (a new one = the browser was restarted). */
export function memorySession(): SessionBackend {
  let value: SessionValue | null = null;
  const listeners: ((v: SessionValue | null) => void)[] = [];
  return {
    get: async () => value,
    set: async (v) => {
      value = v;
      for (const f of listeners) f(v);
    },
    remove: async () => {
      value = null;
      for (const f of listeners) f(null);
    },
    onChange: (f) => listeners.push(f),
  };
}

/** Every byte a reader of the raw database could see: every table, every key and value, strings as UTF-8, binary as it is. */
export async function rawDump(db: CairnDb): Promise<Buffer> {
  const parts: Buffer[] = [];
  const walk = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') parts.push(Buffer.from(utf8(v)), Buffer.from('\n'));
    else if (typeof v === 'number' || typeof v === 'boolean') parts.push(Buffer.from(`${v}\n`));
    else if (v instanceof Uint8Array) parts.push(Buffer.from(v), Buffer.from('\n'));
    else if (v instanceof ArrayBuffer) parts.push(Buffer.from(new Uint8Array(v)), Buffer.from('\n'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      parts.push(Buffer.from(`${k}=`));
      walk(x);
    }
  };
  for (const t of db.tables) {
    const keys = await t.toCollection().primaryKeys();
    const rows = await t.toArray();
    parts.push(Buffer.from(`#${t.name}\n`));
    walk(keys);
    walk(rows);
  }
  return Buffer.concat(parts);
}

/** The needles (text, address, image bytes) found in a dump. */
export function leaks(dump: Buffer, needles: Record<string, Uint8Array | string>): string[] {
  return Object.entries(needles)
    .filter(([, n]) => dump.indexOf(typeof n === 'string' ? Buffer.from(utf8(n)) : Buffer.from(n)) >= 0)
    .map(([k]) => k);
}
