import { createContext } from 'preact';
import { useEffect } from 'preact/hooks';
import { db } from '../utils/background/db';
import { DISCREET_TITLE } from '../utils/background/discreet';
import { DEFAULT_SETTINGS, getSettings, type Settings } from '../utils/background/settings';
import { useLive } from './use-live';

/** The user's settings, live: pages follow a change made in another tab at once. */
export function useSettings(): Settings {
  return useLive(() => getSettings(db()), [], DEFAULT_SETTINGS);
}

/** True in discreet mode: images and snapshots in the vault stay blurred until clicked (see Veil.tsx). */
export const DiscreetContext = createContext(false);

/** The tab title: the page's own name, or the neutral one in discreet mode (tab strips and history show it). */
export function usePageTitle(title: string, discreet: boolean): void {
  useEffect(() => {
    document.title = discreet ? DISCREET_TITLE : title;
  }, [title, discreet]);
}
