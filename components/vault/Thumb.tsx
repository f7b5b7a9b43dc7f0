import { useEffect, useState } from 'preact/hooks';
import { db } from '../../utils/background/db';
import { readBlob } from '../../utils/background/vault-data';
import { Veil } from '../Veil';

/** An image from the blob store, shown through an object URL that is released on unmount. */
export function BlobImage({ sha256, alt, class: cls, id, label }: { sha256: string | undefined; alt: string; class?: string; id?: string; label?: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!sha256) return;
    let u: string | null = null;
    let live = true;
    readBlob(db(), sha256)
      .then((b) => {
        if (!b || !live) return;
        u = URL.createObjectURL(new Blob([b.bytes as BlobPart], { type: b.media_type }));
        setUrl(u);
      }, (e: unknown) => console.warn('[cairn] image not readable', (e as Error)?.name));
    return () => {
      live = false;
      if (u) URL.revokeObjectURL(u);
    };
  }, [sha256]);
  const img = url ? <img src={url} alt={alt} class={cls} id={id} /> : <div class={cls} role="img" aria-label={alt} />;
  return <Veil label={label ?? (alt || 'image')}>{img}</Veil>;
}
