import type { ChatStrings } from '../i18n/chat';

/**
 * Prompts the user can send with one click: starters in an empty conversation, or follow-ups an
 * app supplies after a reply. Each is a button whose name is the prompt itself.
 */
export function Suggestions({
  items,
  strings,
  disabled,
  onChoose,
  placement,
}: {
  items: readonly string[];
  strings: ChatStrings;
  disabled: boolean;
  onChoose: (text: string) => void;
  placement: 'empty' | 'follow-up';
}) {
  const prompts = items.filter((s) => s.trim() !== '');
  if (prompts.length === 0) return null;
  return (
    <ul
      className="parlance-suggestions"
      data-slot="suggestions"
      data-placement={placement}
      aria-label={strings.suggestions}
    >
      {prompts.map((text) => (
        <li key={text}>
          <button
            type="button"
            className="parlance-button parlance-suggestion"
            disabled={disabled}
            onClick={() => onChoose(text)}
          >
            {text}
          </button>
        </li>
      ))}
    </ul>
  );
}
