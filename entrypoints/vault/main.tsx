import { render } from 'preact';
import { Vault } from '../../components/vault/Vault';
import { closeOnQuickExit } from '../../components/close-on-exit';
import { browserSessionBackend } from '../../utils/background/session-browser';
import { connectSession } from '../../utils/background/vault-lock';
import '../../components/styles.css';

connectSession(browserSessionBackend());
closeOnQuickExit();
render(<Vault />, document.getElementById('app')!);
