/**
 * Builds multipart form data for the image endpoints. Blobs keep a `File`'s name, or get
 * `<field>.png`: the API reads the type from the filename, so a nameless part is rejected.
 */
export function toFormData(fields: object): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Blob) {
      const name =
        typeof (value as File).name === 'string' && (value as File).name
          ? (value as File).name
          : `${key}.png`;
      form.append(key, value, name);
    } else {
      form.append(key, String(value));
    }
  }
  return form;
}
