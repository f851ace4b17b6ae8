// A dialog that holds the keyboard: focus moves in when it opens, Tab and Shift+Tab go round
// its own controls, and focus goes back where it was when it closes.
const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

export function modal(node: HTMLElement, first?: () => HTMLElement | null | undefined) {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const controls = () => [...node.querySelectorAll<HTMLElement>(FOCUSABLE)];
  (first?.() ?? controls()[0] ?? node).focus();

  function onkeydown(event: KeyboardEvent) {
    if (event.key !== 'Tab') return;
    const all = controls();
    const [head, tail] = [all[0], all[all.length - 1]];
    if (!head || !tail) return event.preventDefault();
    const inside = node.contains(document.activeElement);
    const active = document.activeElement;
    if (event.shiftKey && (active === head || active === node || !inside)) {
      event.preventDefault();
      tail.focus();
    } else if (!event.shiftKey && (active === tail || !inside)) {
      event.preventDefault();
      head.focus();
    }
  }
  document.addEventListener('keydown', onkeydown, true);
  return {
    destroy() {
      document.removeEventListener('keydown', onkeydown, true);
      if (before?.isConnected) before.focus();
    },
  };
}
