import { browser } from '@wxt-dev/webextension-polyfill/browser';
import type { Runtime } from 'webextension-polyfill';
import { envelope, parseEnvelope, type MessageType, type Payload, type Responses } from './messages';
import { err } from './result';

/** Sends a message from one of our pages to the background. */
export async function sendToBackground<T extends MessageType>(type: T, payload: Payload<T>): Promise<Responses[T]> {
  try {
    return (await browser.runtime.sendMessage(envelope(type, payload))) as Responses[T];
  } catch (e) {
    return err('bad-message', `The background did not answer (${type}): ${(e as Error).message}`) as Responses[T];
  }
}

/** Sends a message from the background to the content script in a tab (top frame only). */
export async function sendToTab<T extends MessageType>(tabId: number, type: T, payload: Payload<T>): Promise<Responses[T]> {
  return (await browser.tabs.sendMessage(tabId, envelope(type, payload), { frameId: 0 })) as Responses[T];
}

export type Handlers = { [T in MessageType]?: (payload: Payload<T>, sender: Runtime.MessageSender) => Promise<Responses[T]> };

/**
 * Listens for protocol messages. Only messages from this extension whose
 * sender passes `allow` are answered; anything unknown or malformed is
 * refused. Logs name the type, never the payload.
 */
export function listen(handlers: Handlers, allow: (type: MessageType, sender: Runtime.MessageSender) => boolean): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const msg = parseEnvelope(raw);
    if (!msg) {
      console.warn('[cairn] refused a malformed or unknown message');
      return Promise.resolve(err('bad-message', 'Unknown or malformed message.'));
    }
    const handler = handlers[msg.type] as ((p: unknown, s: Runtime.MessageSender) => Promise<unknown>) | undefined;
    if (!handler) return undefined; // another context handles it
    if (!allow(msg.type, sender)) {
      console.warn(`[cairn] refused ${msg.type} from an unexpected sender`);
      return Promise.resolve(err('bad-message', 'Sender not allowed.'));
    }
    return handler(msg.payload, sender).catch((e: unknown) => {
      console.error(`[cairn] ${msg.type} failed`, (e as Error)?.name);
      return err('internal', `Something went wrong handling ${msg.type}: ${(e as Error)?.message ?? 'unknown error'}`);
    });
  });
}

/** True for senders that are our own extension pages (popup, vault), not content scripts. */
export function isExtensionPage(sender: Runtime.MessageSender): boolean {
  return (sender.url ?? '').startsWith(browser.runtime.getURL('/'));
}
