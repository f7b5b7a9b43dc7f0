/**
 * The element picker: highlights what would be captured under the pointer,
 * and captures it on click or Enter. Arrow Up/Down widen or narrow the
 * selection; Escape cancels.
 *
 * What the page can observe while it runs: one element (a <div> holding a
 * closed shadow root, so the page cannot look inside) is attached to <html>
 * and removed when picking ends; clicks and keys are held back from the page
 * until then. Nothing else changes.
 */
export interface PickerCallbacks {
  describe(el: Element): string;
  /** Maps the raw target to what would be captured (the enclosing item). */
  resolve(el: Element): Element;
  onPick(el: Element): void;
  onCancel(): void;
}

let active: (() => void) | null = null;

export function startPicker(doc: Document, win: Window, cb: PickerCallbacks): void {
  active?.();
  const host = doc.createElement('div');
  const root = host.attachShadow({ mode: 'closed' });
  root.innerHTML = `<style>
    .box { position: fixed; pointer-events: none; z-index: 2147483647; outline: 3px solid #2f5d50; background: rgba(47,93,80,.12); border-radius: 3px; transition: all 60ms; }
    .tip { position: fixed; pointer-events: none; z-index: 2147483647; left: 12px; bottom: 12px; font: 13px/1.4 system-ui, sans-serif; background: #1d232a; color: #fff; padding: 6px 10px; border-radius: 6px; max-width: 60vw; }
  </style><div class="box" hidden></div><div class="tip" role="status">Point at what to capture, then click or press Enter. ↑/↓ widen or narrow. Esc cancels.</div>`;
  host.style.cssText = 'all: initial; position: fixed; inset: 0; pointer-events: none; z-index: 2147483647;';
  const box = root.querySelector('.box') as HTMLElement;
  const tip = root.querySelector('.tip') as HTMLElement;
  let current: Element | null = null;
  const trail: Element[] = [];

  const show = (el: Element | null) => {
    current = el;
    if (!el) {
      box.hidden = true;
      return;
    }
    const r = el.getBoundingClientRect();
    box.hidden = false;
    Object.assign(box.style, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
    tip.textContent = `${cb.describe(el)} — click or Enter to capture, ↑/↓ to widen or narrow, Esc to cancel`;
  };
  const onMove = (e: MouseEvent) => {
    const t = doc.elementFromPoint(e.clientX, e.clientY);
    if (!t || t === host) return;
    trail.length = 0;
    show(cb.resolve(t));
  };
  const stop = (e: Event) => {
    e.preventDefault();
    e.stopImmediatePropagation();
  };
  const finish = () => {
    win.removeEventListener('mousemove', onMove, true);
    win.removeEventListener('click', onClick, true);
    win.removeEventListener('mousedown', stop, true);
    win.removeEventListener('mouseup', stop, true);
    win.removeEventListener('keydown', onKey, true);
    host.remove();
    active = null;
  };
  const onClick = (e: MouseEvent) => {
    stop(e);
    const t = doc.elementFromPoint(e.clientX, e.clientY);
    const el = current ?? (t ? cb.resolve(t) : null);
    finish();
    if (el) cb.onPick(el);
    else cb.onCancel();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      stop(e);
      finish();
      cb.onCancel();
    } else if (e.key === 'Enter' && current) {
      stop(e);
      const el = current;
      finish();
      cb.onPick(el);
    } else if (e.key === 'ArrowUp' && current?.parentElement && current.parentElement !== doc.documentElement) {
      stop(e);
      trail.push(current);
      show(current.parentElement);
    } else if (e.key === 'ArrowDown' && current) {
      stop(e);
      show(trail.pop() ?? current.firstElementChild ?? current);
    }
  };
  win.addEventListener('mousemove', onMove, true);
  win.addEventListener('click', onClick, true);
  win.addEventListener('mousedown', stop, true);
  win.addEventListener('mouseup', stop, true);
  win.addEventListener('keydown', onKey, true);
  doc.documentElement.appendChild(host);
  // Keyboard-only users start from the focused element.
  const focused = doc.activeElement;
  if (focused && focused !== doc.body) show(cb.resolve(focused));
  active = finish;
}
