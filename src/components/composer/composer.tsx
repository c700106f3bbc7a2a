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

import {
  AttachmentError,
  checkAttachment,
  prepareAttachment,
  type ChatCompletionContentPart,
  type ChatMessageContent,
  type ChatStatus,
  type PrepareAttachmentOptions,
  type PrepareVisionImageOptions,
} from '../../core';
import { useControllableState } from '../../hooks/internal/use-controllable-state';
import { useLatest } from '../../hooks/internal/use-latest';
import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';
import { useNumberFormat } from '../i18n/format';
import { useChatStrings, useLocale } from '../i18n/locale';
import { CloseIcon, PaperclipIcon, SendIcon, StopIcon } from '../primitives/icons';
import { cx, useThemeAttribute } from '../primitives/root';
import {
  draftContent,
  nextAttachmentId,
  refusalText,
  toAttachment,
  type ComposerAttachment,
  type ComposerNotice,
} from './attachments';

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
   * Called with the message to send: the text, or the text then one part per attachment (images
   * prepared for vision models, text files as text parts with their name, PDFs as `file` parts).
   * The draft is cleared as it is handed over.
   */
  onSend?: (content: ChatMessageContent) => unknown;
  /** Called by the stop button while a reply is in progress. */
  onStop?: () => void;
  /** The chat's status: `submitted` and `streaming` show the stop button and hold Enter. Default: `idle`. */
  status?: ChatStatus;
  /** Disable the composer. A string is also the reason shown to the user. Default: false. */
  disabled?: boolean | string;
  /**
   * Allow image attachments (picker, paste, drag and drop), for vision models. Each image is
   * prepared before sending: its longest side at most 2048 px and its bytes at most 2 MB (see
   * `imageOptions`), in a format the API accepts. Default: false.
   */
  allowImages?: boolean;
  /**
   * Allow text files (plain text, markdown, CSV, JSON, source code), sent as text parts with
   * their name, and PDFs, sent as `file` parts when the model reads them (see `allowPdf`).
   * Default: false.
   */
  allowFiles?: boolean;
  /** The model the message goes to: PDFs are taken when it reads them (the gpt-4o family and later). */
  model?: string;
  /** Take PDFs whatever `model` says (true) or never (false). Default: by `model`. */
  allowPdf?: boolean;
  /** How images are prepared: `maxSide` (2048), `maxBytes` (2 MB), `quality` (0.85). */
  imageOptions?: Omit<PrepareVisionImageOptions, 'signal' | 'fetch'>;
  /** At most this many attachments (images and files) per message. Default: 4. */
  maxImages?: number;
  /** The draft's token count and the room left, shown under the textarea. */
  tokens?: ComposerTokenInfo;
  /**
   * Called when files are attached, prepared or removed (to count them before sending: a ready
   * attachment's `part` is what will be sent).
   */
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
    allowFiles = false,
    maxImages = 4,
    tokens,
  } = props;
  const accepting = allowImages || allowFiles;
  const strings = useChatStrings(props.strings);
  const locale = useLocale();
  const formatter = useNumberFormat();
  const theme = useThemeAttribute(props.theme);
  const [value, setValue] = useControllableState({
    prop: props.value,
    defaultProp: props.defaultValue ?? '',
    onChange: props.onValueChange,
    caller: 'Composer',
  });
  const [attachments, setAttachments] = useState<ComposerAttachment[]>([]);
  const [notices, setNotices] = useState<ComposerNotice[]>([]);
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
    () => () =>
      latestAttachments.current.forEach((a) => {
        if (a.previewUrl) URL.revokeObjectURL(a.previewUrl);
      }),
    [latestAttachments],
  );

  // Each attachment is prepared as soon as it is attached: its part lands here (read by `send`,
  // which may run before the state holding it has rendered) and in the state (for the preview).
  const prepared = useRef(new Map<string, ChatCompletionContentPart>());
  const pending = useRef(new Map<string, Promise<void>>());
  const options: PrepareAttachmentOptions = {
    allowImages,
    allowFiles,
    model: props.model,
    allowPdf: props.allowPdf,
    image: props.imageOptions,
  };

  const refuse = (error: AttachmentError): ComposerNotice => ({ id: nextAttachmentId(), error });
  const addFiles = (files: File[]) => {
    if (!accepting || isDisabled || files.length === 0) return;
    const added: ComposerAttachment[] = [];
    const refused: ComposerNotice[] = [];
    let room = maxImages - latestAttachments.current.length;
    for (const file of files) {
      const checked = checkAttachment(file, options);
      if (checked instanceof AttachmentError) refused.push(refuse(checked));
      else if (room <= 0) {
        refused.push(
          refuse(new AttachmentError('too-many', file.name, `at most ${maxImages} files per message`)),
        );
      } else {
        room -= 1;
        added.push(toAttachment(file, checked));
      }
    }
    // The refusals of this attach replace the last ones; a preparation that fails adds its own.
    setNotices(refused);
    if (added.length === 0) return;
    setAttachments((current) => [...current, ...added]);
    for (const attachment of added) {
      const work = prepareAttachment(attachment.file, options).then(
        ({ part }) => {
          prepared.current.set(attachment.id, part);
          setAttachments((current) =>
            current.map((a) => (a.id === attachment.id ? { ...a, status: 'ready', part } : a)),
          );
        },
        (error: unknown) => {
          dropAttachment(attachment.id);
          const reason = AttachmentError.isInstance(error)
            ? error
            : new AttachmentError('unreadable', attachment.file.name, 'the file could not be read', {
                cause: error,
              });
          setNotices((current) => [...current, refuse(reason)]);
        },
      );
      pending.current.set(attachment.id, work);
      void work.finally(() => pending.current.delete(attachment.id));
    }
  };
  const dropAttachment = (id: string) => {
    prepared.current.delete(id);
    setAttachments((current) => {
      const gone = current.find((a) => a.id === id);
      if (gone?.previewUrl) URL.revokeObjectURL(gone.previewUrl);
      return current.filter((a) => a.id !== id);
    });
  };
  const removeAttachment = (id: string) => {
    dropAttachment(id);
    textarea.current?.focus();
  };

  const sending = useRef(false);
  const send = async () => {
    if (!canSend || sending.current) return;
    const text = value.trim();
    const attached = attachments;
    if (attached.length > 0) {
      sending.current = true;
      try {
        // Wait for what is still being prepared; a file that fails is refused (with a notice) and
        // the rest is sent.
        while (pending.current.size > 0) await Promise.all(pending.current.values());
      } finally {
        sending.current = false;
      }
    }
    const ready = attached.flatMap((a) => {
      const part = prepared.current.get(a.id);
      return part ? [{ ...a, part }] : [];
    });
    const content: ChatMessageContent = draftContent(text, ready);
    if (content === '') return;
    attached.forEach((a) => {
      if (a.previewUrl) URL.revokeObjectURL(a.previewUrl);
      prepared.current.delete(a.id);
    });
    setValue('');
    setAttachments((current) => current.filter((a) => !attached.includes(a)));
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
    if (!accepting || !event.dataTransfer.types.includes('Files')) return;
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
        if (!accepting) return;
        event.preventDefault();
        setDragging(false);
        addFiles(Array.from(event.dataTransfer.files));
      }}
    >
      {attachments.length > 0 && (
        <ul className="parlance-attachments" data-slot="attachments">
          {attachments.map((attachment) => (
            <li
              key={attachment.id}
              className="parlance-attachment"
              data-kind={attachment.kind}
              data-status={attachment.status}
              aria-busy={attachment.status === 'preparing' || undefined}
            >
              {attachment.previewUrl ? (
                <img src={attachment.previewUrl} alt={attachment.file.name} />
              ) : (
                <span className="parlance-attachment-file" title={attachment.file.name}>
                  <span aria-hidden="true" className="parlance-attachment-icon">
                    {attachment.kind === 'pdf' ? 'PDF' : 'TXT'}
                  </span>
                  <span className="parlance-attachment-name">{attachment.file.name}</span>
                </span>
              )}
              {attachment.status === 'preparing' && (
                <span className="parlance-attachment-status">{strings.attachmentPreparing}</span>
              )}
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
            const files = Array.from(event.clipboardData.files);
            if (!accepting || files.length === 0) return;
            if (!event.clipboardData.getData('text/plain')) event.preventDefault();
            addFiles(files);
          }}
        />
        {accepting && (
          <>
            <input
              ref={fileInput}
              type="file"
              // Files the composer refuses can still be picked: they get a notice saying why.
              accept={allowFiles ? undefined : 'image/*'}
              multiple
              hidden
              onChange={(event) => {
                addFiles(Array.from(event.target.files ?? []));
                event.target.value = '';
              }}
            />
            <button
              type="button"
              className="parlance-button parlance-button-ghost parlance-composer-attach"
              data-slot="composer-attach"
              title={allowFiles ? strings.attachFiles : strings.attachImage}
              disabled={isDisabled || attachments.length >= maxImages}
              onClick={() => fileInput.current?.click()}
            >
              <PaperclipIcon />
              <span className="parlance-visually-hidden">
                {allowFiles ? strings.attachFiles : strings.attachImage}
              </span>
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
      {accepting && (
        <div className="parlance-composer-notices" data-slot="composer-notices" role="alert">
          {notices.map((notice) => (
            <p key={notice.id} className="parlance-composer-notice" data-code={notice.error.code}>
              <span>{refusalText(notice.error, strings, locale, maxImages)}</span>
              <button
                type="button"
                className="parlance-button parlance-button-ghost"
                onClick={() => setNotices((current) => current.filter((n) => n !== notice))}
              >
                {strings.dismiss}
              </button>
            </p>
          ))}
        </div>
      )}
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
      {dragging && (
        <p className="parlance-composer-drop">{allowFiles ? strings.dropFiles : strings.dropImages}</p>
      )}
    </form>
  );
}
