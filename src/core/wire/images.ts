/** `size` values. DALL·E 2 takes the first three; other models take others (no single list fits). */
export type ImageSize =
  | '256x256'
  | '512x512'
  | '1024x1024'
  | '1792x1024'
  | '1024x1792'
  | '1536x1024'
  | '1024x1536'
  | 'auto'
  | (string & {});

/** The body of `POST /images/generations` (OpenAI's `CreateImageRequest`, common fields). */
export interface ImageGenerateRequest {
  prompt: string;
  /** Default `dall-e-2` on OpenAI. */
  model?: string;
  /** 1–10. Default 1. */
  n?: number | null;
  size?: ImageSize | null;
  /** Default `url`; URLs expire after one hour. */
  response_format?: 'url' | 'b64_json' | null;
  quality?: string | null;
  style?: 'vivid' | 'natural' | null;
  user?: string;
}

/** The fields of `POST /images/edits`, sent as multipart form data. */
export interface ImageEditRequest {
  /** A square PNG under 4 MB. A `File` keeps its name; a plain `Blob` is sent as `image.png`. */
  image: Blob;
  /** Describes the whole new image, not only the erased part. */
  prompt: string;
  /** Same size as `image`; its transparent pixels mark where to edit. Sent as `mask.png`. */
  mask?: Blob;
  model?: string;
  n?: number | null;
  size?: ImageSize | null;
  response_format?: 'url' | 'b64_json' | null;
  user?: string;
}

/** The fields of `POST /images/variations`, sent as multipart form data. */
export interface ImageVariationRequest {
  /** A square PNG under 4 MB. */
  image: Blob;
  model?: string;
  n?: number | null;
  size?: ImageSize | null;
  response_format?: 'url' | 'b64_json' | null;
  user?: string;
}

/** One image of an {@link ImagesResponse} (OpenAI's `Image`). */
export interface ImageObject {
  /** Present with `response_format: 'url'`; expires after one hour. */
  url?: string;
  /** Present with `response_format: 'b64_json'`. */
  b64_json?: string;
  /** DALL·E 3 only: the prompt the model actually used. */
  revised_prompt?: string;
}

/** The response of every images endpoint. */
export interface ImagesResponse {
  /** Unix time in seconds. */
  created: number;
  data?: ImageObject[];
}
