import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { deviceKey } from '../../utils/background/keys';
import { lockNow } from '../../utils/background/vault-lock';
import { groupHex } from '../../utils/shared/encoding';
import { BackupReminder } from './BackupReminder';
import { CaptureDetail } from './CaptureDetail';
import { CaptureList } from './CaptureList';
import { LockScreen } from './LockScreen';
import { LockSuggestion } from './LockSuggestion';
import { SettingsPanel } from './SettingsPanel';
import { useLockState } from './use-lock';
import { VaultMaintenance } from './VaultMaintenance';
import { VerifyPanel } from './VerifyPanel';
import { QuickExitButton } from '../QuickExit';
import { DiscreetContext, usePageTitle, useSettings } from '../use-settings';

type View = { name: 'captures' } | { name: 'capture'; id: string } | { name: 'verify' } | { name: 'settings' };

function viewFromHash(): View {
  const h = location.hash.replace(/^#\/?/, '');
  if (h.startsWith('capture/')) return { name: 'capture', id: decodeURIComponent(h.slice(8)) };
  if (h === 'verify') return { name: 'verify' };
  if (h === 'settings') return { name: 'settings' };
  return { name: 'captures' };
}

export function Vault() {
  const [view, setView] = useState<View>(viewFromHash);
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const lock = useLockState();
  const { discreet } = useSettings();
  usePageTitle('Cairn vault', discreet);

  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    addEventListener('hashchange', onHash);
    deviceKey(db()).then((k) => setFingerprint(k.fingerprint), () => setFingerprint(null));
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const go = (hash: string) => {
    location.hash = hash;
  };

  return (
    <DiscreetContext.Provider value={discreet}>
      <header class="bar">
        <h1>Cairn vault</h1>
        <nav class="tabs" aria-label="Sections">
          {lock.status !== 'locked' && (
            <>
              <button aria-current={view.name === 'captures' || view.name === 'capture' ? 'page' : undefined} onClick={() => go('#/captures')}>
                Captures
              </button>
              <button aria-current={view.name === 'verify' ? 'page' : undefined} onClick={() => go('#/verify')} id="nav-verify">
                Verify a package
              </button>
              <button aria-current={view.name === 'settings' ? 'page' : undefined} onClick={() => go('#/settings')} id="nav-settings">
                Settings
              </button>
            </>
          )}
          {lock.status === 'unlocked' && (
            <button onClick={() => void lockNow()} id="lock-now" title="Lock the vault: the passphrase is needed to open it again">
              Lock now
            </button>
          )}
          <a href="/safety.html" target="_blank" rel="noopener" id="nav-safety" class="navlink">
            Safety and help
          </a>
        </nav>
        <div class="fingerprint" title="Read this to an officer so they can check the package's key">
          Device key fingerprint: <span class="mono" id="fingerprint">{fingerprint ? groupHex(fingerprint) : '…'}</span>
        </div>
        <QuickExitButton />
      </header>
      <main>
        {lock.status === 'locked' && <LockScreen lock={lock.lock} />}
        {(lock.status === 'none' || lock.status === 'unlocked') && (
          <>
            <VaultMaintenance epoch={`${lock.status}:${lock.lock?.id ?? ''}:${lock.lock?.state ?? ''}`} />
            {view.name === 'captures' && lock.status === 'none' && <LockSuggestion onSettings={() => go('#/settings')} />}
            {view.name === 'captures' && <BackupReminder onBackup={() => go('#/settings')} />}
            {view.name === 'captures' && <CaptureList onOpen={(id) => go(`#/capture/${encodeURIComponent(id)}`)} />}
            {view.name === 'capture' && <CaptureDetail id={view.id} onBack={() => go('#/captures')} />}
            {view.name === 'verify' && <VerifyPanel />}
            {view.name === 'settings' && <SettingsPanel />}
          </>
        )}
      </main>
    </DiscreetContext.Provider>
  );
}
