import { render } from 'preact';
import { Welcome } from '../../components/welcome/Welcome';
import { closeOnQuickExit } from '../../components/close-on-exit';
import '../../components/styles.css';

closeOnQuickExit();
render(<Welcome />, document.getElementById('app')!);
