// Told the same way as Pocket's first code (ui/src/lib/startup.ts): after the frame with the
// code is painted, the time and when the page began to load.
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    const mark = performance.mark('peer:shown');
    const pageStarted = performance.timeOrigin;
    window.__TAURI_INTERNALS__.invoke('shown', {
      atMs: pageStarted + mark.startTime,
      pageStartedMs: pageStarted,
    });
  }),
);
