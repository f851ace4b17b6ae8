// The interface's icons: line drawings on a 24×24 grid, stroked with the text colour.
export const icons = {
  add: 'M12 5v14M5 12h14',
  edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  delete: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  refresh: 'M20 12a8 8 0 1 1-2.3-5.7M20 4v4h-4',
  history: 'M3 12a9 9 0 1 0 18 0a9 9 0 1 0-18 0M12 7v5l3 2',
  transfer: 'M8 4v14M4 14l4 4 4-4M16 20V6M12 10l4-4 4 4',
  settings: 'M4 7h9M17 7h3M15 5v4M4 17h3M11 17h9M9 15v4',
  lock: 'M6 11h12v9H6zM8 11V8a4 4 0 0 1 8 0v3',
  grip: 'M5 9h14M5 15h14',
  more: 'M12 5.5v.01M12 12v.01M12 18.5v.01',
  torch: 'M7 3h10v4l-2 3v11H9V10L7 7zM7 7h10M12 13v2',
} as const;

export type IconName = keyof typeof icons;
