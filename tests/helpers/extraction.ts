import { emptyItem } from '../../utils/content/dom';
import type { Account, Extraction, Item, ItemKind, Message, Warning } from '../../utils/shared/types';

/** Builds expected extractions for one adapter, so tests spell out only what the item says. */
export function extractionOf(platform: string, adapter_version = '1.0.0') {
  return (kind: ItemKind, account: Account | null, item: Item, warnings: Warning[] = [], messages?: Message[]): Extraction => ({
    platform,
    adapter_version,
    kind,
    account,
    item,
    warnings,
    ...(messages ? { messages } : {}),
  });
}

/** An expected item: the empty item with the given fields. */
export const item = (fields: Partial<Item>): Item => ({ ...emptyItem(), ...fields });
