import type { MediaRef } from '../shared/types';

/** Bytes of one media item of a captured item, taken from what the page already decoded. */
export interface MediaFile {
  /** Index into item.media. */
  index: number;
  data_url: string;
  width: number;
  height: number;
  method: string;
}

const MAX_MEDIA = 24;
const MAX_PIXELS = 4096 * 4096;

function sameUrl(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a === b;
}

function draw(source: CanvasImageSource, w: number, h: number, doc: Document): string | null {
  if (!w || !h || w * h > MAX_PIXELS) return null;
  try {
    const canvas = doc.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d')!.drawImage(source, 0, 0, w, h);
    return canvas.toDataURL('image/png');
  } catch {
    return null; // cross-origin pixels: the browser will not hand them over without a new request
  }
}

/**
 * For each media entry the adapter found, the pixels the browser already
 * holds: a loaded image, or the current frame of a video (its poster frame
 * when it has not played). Nothing is fetched. Where the browser will not give
 * the pixels (cross-origin without CORS), the entry gets a reason instead.
 */
export function collectMedia(root: Element, media: MediaRef[], doc: Document): { files: MediaFile[]; reasons: Record<number, string> } {
  const files: MediaFile[] = [];
  const reasons: Record<number, string> = {};
  const imgs = Array.from(root.querySelectorAll('img')) as HTMLImageElement[];
  const videos = Array.from(root.querySelectorAll('video')) as HTMLVideoElement[];
  media.slice(0, MAX_MEDIA).forEach((m, index) => {
    if (m.kind === 'image') {
      const img = imgs.find((i) => sameUrl(i.currentSrc, m.url) || sameUrl(i.src, m.url));
      if (!img || !img.complete || !img.naturalWidth) {
        reasons[index] = 'The image had not loaded on the page, so there were no bytes to keep without a new request.';
        return;
      }
      const data = draw(img, img.naturalWidth, img.naturalHeight, doc);
      if (data) files.push({ index, data_url: data, width: img.naturalWidth, height: img.naturalHeight, method: 'decoded image drawn to a canvas, re-encoded as PNG' });
      else reasons[index] = 'The image comes from another site that does not allow reading its pixels; getting its original bytes would need a new request to the platform. It appears in the screenshots.';
    } else if (m.kind === 'video') {
      const v = videos.find((x) => sameUrl(x.currentSrc, m.url) || sameUrl(x.poster, m.poster) || sameUrl(x.src, m.url)) ?? videos[0];
      if (!v || v.readyState < 2) {
        reasons[index] = 'The video had no frame loaded; its file cannot be saved without a new request to the platform.';
        return;
      }
      const data = draw(v, v.videoWidth, v.videoHeight, doc);
      if (data) files.push({ index, data_url: data, width: v.videoWidth, height: v.videoHeight, method: `video frame at ${v.currentTime.toFixed(2)} s drawn to a canvas (PNG); the video file itself is streamed and was not saved` });
      else reasons[index] = 'The video comes from another site that does not allow reading its frames; only the screenshots show it.';
    }
  });
  if (media.length > MAX_MEDIA) for (let i = MAX_MEDIA; i < media.length; i++) reasons[i] = `Only the first ${MAX_MEDIA} media items are kept as files.`;
  return { files, reasons };
}
