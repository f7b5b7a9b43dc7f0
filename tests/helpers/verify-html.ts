import { cachedVerifyHtml } from '../../scripts/lib/verify-html';

/** verify.html as the tests put it into packages: built from the sources (cached in .tmp per source state). */
export async function verifyHtmlBytes(): Promise<Uint8Array> {
  return new TextEncoder().encode((await cachedVerifyHtml()).html);
}
