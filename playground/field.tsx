import { useId, type ReactNode } from 'react';

/** A labelled control; `children` receives the `aria-describedby` that ties the hint to it. */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (described: { 'aria-describedby'?: string }) => ReactNode;
}) {
  const hintId = useId();
  return (
    <div className="playground-field">
      <label>
        <span className="playground-label">{label}</span>
        {children(hint ? { 'aria-describedby': hintId } : {})}
      </label>
      {hint && (
        <small id={hintId} className="playground-hint">
          {hint}
        </small>
      )}
    </div>
  );
}
