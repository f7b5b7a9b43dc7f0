/** Results over exceptions across context boundaries (DESIGN.md section 11). */
export type Result<T, E extends string = string> =
  | { ok: true; value: T }
  | { ok: false; error: { code: E; message: string } };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E extends string>(code: E, message: string): { ok: false; error: { code: E; message: string } } {
  return { ok: false, error: { code, message } };
}
