import type { ComponentChildren } from 'preact';
import { useContext, useState } from 'preact/hooks';
import { DiscreetContext } from './use-settings';

/**
 * In discreet mode, captured media (screenshots, thumbnails, snapshots) stay
 * blurred until the user clicks them or presses Enter on them, so a glance at
 * the screen shows nothing. Outside discreet mode this renders its children.
 */
export function Veil({ label, children, class: cls }: { label: string; children: ComponentChildren; class?: string }) {
  const discreet = useContext(DiscreetContext);
  const [shown, setShown] = useState(false);
  if (!discreet || shown) return <>{children}</>;
  return (
    <div class={`veil${cls ? ` ${cls}` : ''}`} data-veiled="true">
      <div class="veil-content" aria-hidden="true" inert>
        {children}
      </div>
      <button
        class="veil-show"
        onClick={(e) => {
          e.stopPropagation();
          setShown(true);
        }}
        aria-label={`Show ${label}`}
      >
        Show
      </button>
    </div>
  );
}
