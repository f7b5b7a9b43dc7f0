import { render } from 'preact';
import { Vault } from '../../components/vault/Vault';
import { closeOnQuickExit } from '../../components/close-on-exit';
import '../../components/styles.css';

closeOnQuickExit();
render(<Vault />, document.getElementById('app')!);
