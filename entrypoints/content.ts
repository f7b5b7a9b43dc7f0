import { defineContentScript } from 'wxt/utils/define-content-script';
import { PLATFORM_MATCHES } from '../utils/shared/platform-hosts';
import { startContent } from '../utils/content/main';

export default defineContentScript({
  matches: [...PLATFORM_MATCHES],
  runAt: 'document_idle',
  main: startContent,
});
