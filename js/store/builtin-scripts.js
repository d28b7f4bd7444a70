// edgeguard's own scripts: every EdgeguardDurableObject knows them by name (the shared rate
// limit's and breaker's, from js/shared/), besides the scripts a subclass registers.
export const builtinScripts = Object.freeze([]);
