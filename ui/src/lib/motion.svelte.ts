// The system's "reduce motion" setting, followed as it changes: moving parts step instead of
// sweeping when it is on.
const query = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');

export const motion = $state({ reduced: query?.matches ?? false });

query?.addEventListener('change', (event) => (motion.reduced = event.matches));
