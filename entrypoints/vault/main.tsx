import { render } from 'preact';
import { Vault } from '../../components/vault/Vault';
import { browserSessionBackend } from '../../utils/background/session-browser';
import { connectSession } from '../../utils/background/vault-lock';
import '../../components/styles.css';

connectSession(browserSessionBackend());
render(<Vault />, document.getElementById('app')!);
