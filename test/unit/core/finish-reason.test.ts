import { expect, test } from 'vitest';

import { AbortError, ApiError, StreamInterruptedError } from 'parlance/core';
import { mapErrorToEndState, mapFinishReason } from '../../../src/core/wire/finish-reason';

test('finish_reason maps to a tagged end state', () => {
  expect(mapFinishReason('stop')).toEqual({ type: 'complete', reason: 'stop' });
  expect(mapFinishReason('length')).toEqual({ type: 'incomplete', reason: 'length' });
  expect(mapFinishReason('content_filter')).toEqual({ type: 'incomplete', reason: 'content-filter' });
  expect(mapFinishReason('tool_calls')).toEqual({ type: 'complete', reason: 'tool-calls' });
  expect(mapFinishReason('function_call')).toEqual({ type: 'complete', reason: 'tool-calls' });
  expect(mapFinishReason(null)).toEqual({ type: 'complete', reason: 'unknown' });
  expect(mapFinishReason('eos_token')).toEqual({ type: 'complete', reason: 'unknown' });
});

test('errors map to cancelled, interrupted or error', () => {
  expect(mapErrorToEndState(new AbortError())).toEqual({ type: 'incomplete', reason: 'cancelled' });
  expect(mapErrorToEndState(new StreamInterruptedError([]))).toEqual({
    type: 'incomplete',
    reason: 'interrupted',
  });
  expect(mapErrorToEndState(new ApiError({ status: 500, message: 'x' }))).toEqual({
    type: 'incomplete',
    reason: 'error',
  });
  expect(mapErrorToEndState(new TypeError('x'))).toEqual({ type: 'incomplete', reason: 'error' });
});
