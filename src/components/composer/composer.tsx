import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
  type KeyboardEvent,
} from 'react';

import type { ChatMessageContent, ChatStatus } from '../../core';
import { useControllableState } from '../../hooks/internal/use-controllable-state';
import { useLatest } from '../../hooks/internal/use-latest';
import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import { useNumberFormat } from '../i18n/format';
import { useChatStrings } from '../i18n/locale';
import { CloseIcon, PaperclipIcon, SendIcon, StopIcon } from '../primitives/icons';
import { cx, useThemeAttribute } from '../primitives/root';
import { imageFiles, readAsDataUrl, toAttachment, type ComposerAttachment } from './attachments';

/** The draft's token figures, as `useTokenBudget` gives them. */
export interface ComposerTokenInfo {
  /** Tokens the draft costs as sent: its user turn with formatting, images and instructions. */
  count: number | null;
  /** Room left for the reply with the draft sent (the meter's "reply room"; negative: too long). */
  remaining?: number | null;
  /** The count is an estimate (the tokenizer is still loading). */
  isApproximate?: boolean;
}

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** The draft (controlled). */
  value?: string;
  /** The initial draft (uncontrolled). Default: empty. */
  defaultValue?: string;
  /** Called whenever the draft changes. */
  onValueChange?: (value: string) => void;
  /**
   * Called with the message to send: the text, or text and image parts when images are attached.
   * The draft is cleared as it is handed over.
   */
  onSend?: (content: ChatMessageContent) => unknown;
  /** Called by the stop button while a reply is in progress. */
  onStop?: () => void;
  /** The chat's status: `submitted` and `streaming` show the stop button and hold Enter. Default: `idle`. */
  status?: ChatStatus;
  /** Disable the composer. A string is also the reason shown to the user. Default: false. */
  disabled?: boolean | string;
  /** Allow image attachments (picker, paste, drag and drop), for vision models. Default: false. */
  allowImages?: boolean;
  /** At most this many images per message. Default: 4. */
  maxImages?: number;
  /** The draft's token count and the room left, shown under the textarea. */
  tokens?: ComposerTokenInfo;
  /** Called when images are attached or removed (to count them before sending). */
  onAttachmentsChange?: (attachments: readonly ComposerAttachment[]) => void;
  /** The textarea's accessible name. Default: the locale's "Message". */
  label?: string;
  placeholder?: string;
  /** Overrides of the UI strings. */
  strings?: Partial<ChatStrings>;
  theme?: 'light' | 'dark' | 'auto';
  className?: string;
  style?: CSSProperties;
}

/**
 * The message box: an autosizing textarea where Enter sends and Shift+Enter breaks the line. An
 * Enter that confirms an IME candidate (Chinese, Japanese, Korean input) never sends.
 *
 * @example
 * <Composer onSend={chat.send} onStop={chat.stop} status={chat.status} />
 */
export function Composer(props: ComposerProps) {
  const {
    onSend,
    onStop,
    status = 'idle',
    disabled = false,
    allowImages = false,
    maxImages = 4,
    tokens,
  } = props;
  const strings = useChatStrings(props.strings);
  const formatter = useNumberFormat();
  const theme = useThemeAttribute(props.theme);
  const [value, setValue] = useControllableState({
    prop: props.value,
    defaultProp: props.defaultValue ?? '',
    onChange: props.onValueChange,
    caller: 'Composer',
  });
  const [attachments, setAttachments] = useState<ComposerAttachment[]>([]);
  const [dragging, setDragging] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const composing = useRef(false);
  const reasonId = useId();
  const tokensId = useId();

  const busy = status === 'submitted' || status === 'streaming';
  const isDisabled = disabled !== false;
  const reason = typeof disabled === 'string' ? disabled : isDisabled ? strings.disabledReason : null;
  const canSend = !isDisabled && !busy && (value.trim().length > 0 || attachments.length > 0);

  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${element.scrollHeight}px`;
  }, [value]);

  const latestAttachments = useLatest(attachments);
  const onAttachmentsChange = useLatest(props.onAttachmentsChange);
  const reported = useRef<readonly ComposerAttachment[]>(attachments);
  useEffect(() => {
    if (reported.current === attachments) return;
    reported.current = attachments;
    onAttachmentsChange.current?.(attachments);
  }, [attachments, onAttachmentsChange]);
  useEffect(
    () => () => latestAttachments.current.forEach((a) => URL.revokeObjectURL(a.previewUrl)),
    [latestAttachments],
  );

  const addFiles = (files: File[]) => {
    if (!allowImages || isDisabled || files.length === 0) return;
    setAttachments((current) => [...current, ...files.map(toAttachment)].slice(0, maxImages));
  };
  const removeAttachment = (id: string) => {
    setAttachments((current) => {
      const gone = current.find((a) => a.id === id);
      if (gone) URL.revokeObjectURL(gone.previewUrl);
      return current.filter((a) => a.id !== id);
    });
    textarea.current?.focus();
  };

  const sending = useRef(false);
  const send = async () => {
    if (!canSend || sending.current) return;
    const text = value.trim();
    const images = attachments;
    let content: ChatMessageContent = text;
    if (images.length > 0) {
      sending.current = true;
      try {
        // Read before clearing: a file that cannot be read leaves the draft as it was.
        const urls = await Promise.all(images.map((a) => readAsDataUrl(a.file)));
        content = [
          ...(text ? [{ type: 'text' as const, text }] : []),
          ...urls.map((url) => ({ type: 'image_url' as const, image_url: { url } })),
        ];
      } catch {
        return;
      } finally {
        sending.current = false;
      }
      images.forEach((a) => URL.revokeObjectURL(a.previewUrl));
    }
    setValue('');
    setAttachments([]);
    onSend?.(content);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey) return;
    // An Enter that confirms an IME candidate: `isComposing` in most browsers, keyCode 229 where the
    // keydown arrives before compositionend, our own flag where it arrives right after.
    if (event.nativeEvent.isComposing || event.keyCode === 229 || composing.current) return;
    event.preventDefault();
    void send();
  };

  const onDrag = (event: DragEvent<HTMLFormElement>, over: boolean) => {
    if (!allowImages || !event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    setDragging(over);
  };

  const describedBy =
    [reason ? reasonId : null, tokens ? tokensId : null].filter(Boolean).join(' ') || undefined;
  return (
    <form
      className={cx('parlance-root parlance-composer', props.className)}
      data-theme={theme}
      data-slot="composer"
      data-state={busy ? 'busy' : isDisabled ? 'disabled' : 'idle'}
      data-dragging={dragging || undefined}
      style={props.style}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
      onDragEnter={(event) => onDrag(event, true)}
      onDragOver={(event) => onDrag(event, true)}
      onDragLeave={(event) => onDrag(event, false)}
      onDrop={(event) => {
        if (!allowImages) return;
        event.preventDefault();
        setDragging(false);
        addFiles(imageFiles(event.dataTransfer.files));
      }}
    >
      {attachments.length > 0 && (
        <ul className="parlance-attachments" data-slot="attachments">
          {attachments.map((attachment) => (
            <li key={attachment.id} className="parlance-attachment">
              <img src={attachment.previewUrl} alt={attachment.file.name} />
              <button
                type="button"
                className="parlance-button parlance-button-icon"
                aria-label={format(strings.removeAttachment, { name: attachment.file.name })}
                onClick={() => removeAttachment(attachment.id)}
              >
                <CloseIcon />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="parlance-composer-row">
        <textarea
          ref={textarea}
          className="parlance-composer-input"
          data-slot="composer-input"
          aria-label={props.label ?? strings.composerLabel}
          aria-describedby={describedBy}
          placeholder={props.placeholder ?? strings.composerPlaceholder}
          rows={1}
          value={value}
          disabled={isDisabled}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={onKeyDown}
          onCompositionStart={() => {
            composing.current = true;
          }}
          onCompositionEnd={() => {
            // Safari sends the confirming keydown after compositionend: keep the flag for that one event.
            setTimeout(() => {
              composing.current = false;
            }, 0);
          }}
          onPaste={(event) => {
            const files = imageFiles(event.clipboardData.files);
            if (!allowImages || files.length === 0) return;
            if (!event.clipboardData.getData('text/plain')) event.preventDefault();
            addFiles(files);
          }}
        />
        {allowImages && (
          <>
            <input
              ref={fileInput}
              type="file"
              accept="image/*"
              multiple
              hidden
              onChange={(event) => {
                addFiles(imageFiles(event.target.files));
                event.target.value = '';
              }}
            />
            <button
              type="button"
              className="parlance-button parlance-button-ghost parlance-composer-attach"
              data-slot="composer-attach"
              title={strings.attachImage}
              disabled={isDisabled || attachments.length >= maxImages}
              onClick={() => fileInput.current?.click()}
            >
              <PaperclipIcon />
              <span className="parlance-visually-hidden">{strings.attachImage}</span>
            </button>
          </>
        )}
        {busy ? (
          <button
            type="button"
            className="parlance-button parlance-button-stop"
            data-slot="composer-stop"
            title={strings.stop}
            onClick={() => onStop?.()}
          >
            <StopIcon />
            <span className="parlance-visually-hidden">{strings.stop}</span>
          </button>
        ) : (
          <button
            type="submit"
            className="parlance-button parlance-button-primary"
            data-slot="composer-send"
            title={strings.send}
            disabled={!canSend}
          >
            <SendIcon />
            <span className="parlance-visually-hidden">{strings.send}</span>
          </button>
        )}
      </div>
      <div className="parlance-composer-footer">
        {reason && (
          <p id={reasonId} className="parlance-composer-reason">
            {reason}
          </p>
        )}
        {tokens && tokens.count !== null && (
          <p
            id={tokensId}
            className="parlance-composer-tokens"
            data-over={tokens.remaining != null && tokens.remaining < 0 ? true : undefined}
          >
            {tokens.remaining != null && tokens.remaining < 0
              ? format(strings.draftTooLong, { over: formatter.number(-tokens.remaining) })
              : format(strings.draftTokens, {
                  count: `${tokens.isApproximate ? '≈' : ''}${formatter.number(tokens.count)}`,
                  remaining: formatter.number(tokens.remaining ?? undefined),
                })}
          </p>
        )}
      </div>
      {dragging && <p className="parlance-composer-drop">{strings.dropImages}</p>}
    </form>
  );
}
