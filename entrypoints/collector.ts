import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startContent } from '../utils/content/main';

/**
 * The collector: Cairn's only script in web pages, in the isolated world. It
 * is an unlisted script (declared for the platform hosts in wxt.config.ts,
 * injected elsewhere on demand) rather than a WXT content script, because
 * WXT's content-script wrapper announces itself to the page: it posts a
 * window message and dispatches a document event named after the extension
 * id, which any page can listen for. This one adds nothing the page can see.
 */
export default defineUnlistedScript(startContent);
