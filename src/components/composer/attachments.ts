/** An image the user attached to the draft. */
export interface ComposerAttachment {
  id: string;
  file: File;
  /** An object URL for the preview; revoked when the attachment is removed. */
  previewUrl: string;
}

let counter = 0;

export function toAttachment(file: File): ComposerAttachment {
  counter += 1;
  return { id: `attachment-${counter}`, file, previewUrl: URL.createObjectURL(file) };
}

/** The image files among a picked, pasted or dropped list. */
export function imageFiles(list: FileList | readonly File[] | null | undefined): File[] {
  return Array.from(list ?? []).filter((file) => file.type.startsWith('image/'));
}

/** A `data:` URL for an image part (vision models take images inline). */
export function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}
