/** OpenAI's `Error` object, as sent inside {@link ErrorEnvelope}. */
export interface WireError {
  message: string;
  /** Such as `invalid_request_error`, `authentication_error`, `server_error`. */
  type: string;
  /** The request field at fault, if any. */
  param: string | null;
  /** Such as `model_not_found`, `invalid_api_key`, `rate_limit_exceeded`. */
  code: string | null;
}

/** OpenAI's `ErrorResponse`: the body of a failed request, or an `error` event in a stream. */
export interface ErrorEnvelope {
  error: WireError;
}
