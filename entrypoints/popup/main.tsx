import { render } from 'preact';
import { Popup } from '../../components/Popup';
import { closeOnQuickExit } from '../../components/close-on-exit';
import '../../components/styles.css';

closeOnQuickExit();
render(<Popup />, document.getElementById('app')!);
