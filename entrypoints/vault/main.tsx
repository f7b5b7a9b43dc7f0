import { render } from 'preact';
import { Vault } from '../../components/vault/Vault';
import '../../components/styles.css';

render(<Vault />, document.getElementById('app')!);
