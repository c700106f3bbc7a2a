/**
 * The few icons the styled components draw, inline so that they need no request and follow
 * `currentColor`. Decorative: the button that holds one carries the accessible name.
 */
const common = {
  width: 18,
  height: 18,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
  'aria-hidden': true,
  focusable: false,
  className: 'parlance-icon',
} as const;

export function SendIcon() {
  return (
    <svg {...common}>
      <path d="M12 19V5M5.5 11.5 12 5l6.5 6.5" />
    </svg>
  );
}

export function StopIcon() {
  return (
    <svg {...common}>
      <rect x="7" y="7" width="10" height="10" rx="2" fill="currentColor" stroke="none" />
    </svg>
  );
}

export function PaperclipIcon() {
  return (
    <svg {...common}>
      <path d="m20.5 11.5-8.3 8.3a5 5 0 0 1-7.1-7.1l8.6-8.6a3.4 3.4 0 0 1 4.8 4.8l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9" />
    </svg>
  );
}

export function CloseIcon() {
  return (
    <svg {...common} width={14} height={14}>
      <path d="M6 6l12 12M18 6 6 18" />
    </svg>
  );
}

/** A 16 px line icon drawn by one path (the icons of the small buttons beside messages). */
export function LineIcon({ d, flip = false }: { d: string; flip?: boolean }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
      style={flip ? { transform: 'rotate(180deg)' } : undefined}
    >
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
