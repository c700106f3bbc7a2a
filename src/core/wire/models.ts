/** One entry of {@link ModelsList} (OpenAI's `Model`). */
export interface Model {
  id: string;
  object: 'model';
  /** Unix time in seconds. */
  created: number;
  owned_by: string;
}

/** The response of `GET /models` (OpenAI's `ListModelsResponse`). */
export interface ModelsList {
  object: 'list';
  data: Model[];
}
