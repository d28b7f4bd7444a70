/** A tag as it goes between a key's braces: '%', '{', '}' escaped, '' as '%'. One-to-one. */
export function hashTag(tag: string): string;
/** `<prefix>{<hashTag(tag)>}:<name>`. */
export function storeKey(prefix: string, tag: string, name: string): string;
/** The part of a key Redis Cluster hashes into its slot. */
export function slotText(key: string): string;
