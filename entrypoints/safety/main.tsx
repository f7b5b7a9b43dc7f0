import { render } from 'preact';
import { SafetyPage } from '../../components/safety/SafetyPage';
import { closeOnQuickExit } from '../../components/close-on-exit';
import '../../components/styles.css';

closeOnQuickExit();
render(<SafetyPage />, document.getElementById('app')!);
