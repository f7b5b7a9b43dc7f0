import { db } from '../../utils/background/db';
import { useLive } from '../use-live';

/** The first-run moment: an empty vault without a passphrase suggests one, once there is nothing to encrypt yet. Gone after the first capture. */
export function LockSuggestion({ onSettings }: { onSettings: () => void }) {
  const captures = useLive(() => db().captures.count(), [], -1);
  if (captures !== 0) return null;
  return (
    <p class="status" role="note" id="lock-suggestion">
      Before the first capture: a passphrase keeps everything in this vault encrypted, so someone else using this browser cannot read it. Setting it now, while
      the vault is empty, means nothing is ever stored unencrypted. <button onClick={onSettings}>Set a passphrase</button> (optional; there is no way to recover a
      forgotten one).
    </p>
  );
}
