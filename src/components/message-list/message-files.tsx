import { partFile, type ChatMessageContent, type MessageFile } from '../../core';
import type { ChatStrings } from '../i18n/chat';
import { format } from '../i18n/template';

/** The content without its files (text files' parts and `file` parts): what the message says. */
export function withoutFiles(content: ChatMessageContent): ChatMessageContent {
  if (typeof content === 'string') return content;
  return content.some((part) => partFile(part)) ? content.filter((part) => !partFile(part)) : content;
}

/** The files a message carries, in order. */
export function messageFiles(content: ChatMessageContent): MessageFile[] {
  if (typeof content === 'string') return [];
  return content.flatMap((part) => {
    const file = partFile(part);
    return file ? [file] : [];
  });
}

/** A chip per attached file (a text file or a PDF), with its name. */
export function MessageFiles({ content, strings }: { content: ChatMessageContent; strings: ChatStrings }) {
  const files = messageFiles(content);
  if (files.length === 0) return null;
  return (
    <ul className="parlance-message-files" data-slot="message-files">
      {files.map((file, i) => (
        <li
          key={i}
          className="parlance-message-file"
          data-kind={file.kind}
          title={file.name}
          aria-label={format(strings.messageFile, { name: file.name })}
        >
          <span aria-hidden="true" className="parlance-attachment-icon">
            {file.kind === 'pdf' ? 'PDF' : 'TXT'}
          </span>
          <span aria-hidden="true" className="parlance-attachment-name">
            {file.name}
          </span>
        </li>
      ))}
    </ul>
  );
}
