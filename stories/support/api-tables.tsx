/**
 * Types a docs page shows as a table. Storybook reads prop tables from components, so each hook's
 * options and result get a stand-in component whose props are that type: the tables then show
 * each field with its TypeScript type and its JSDoc, read from the sources. They render nothing.
 */
import type {
  UseChatOptions,
  UseChatResult,
  UseImageEditResult,
  UseImageGenerationResult,
  UseImageOptions,
  UseImageVariationResult,
  UseTokenCountOptions,
  UseTokenCountResult,
} from 'parlance';

/** `useChat(options)`: the options. */
export function UseChatOptionsTable(props: UseChatOptions): null {
  void props;
  return null;
}

/** What `useChat` returns. */
export function UseChatResultTable(props: UseChatResult): null {
  void props;
  return null;
}

/** `useTokenCount(input, options)`: the options. */
export function UseTokenCountOptionsTable(props: UseTokenCountOptions): null {
  void props;
  return null;
}

/** What `useTokenCount` returns. */
export function UseTokenCountResultTable(props: UseTokenCountResult): null {
  void props;
  return null;
}

/** `useImageGeneration`, `useImageEdit`, `useImageVariation`: their shared options. */
export function UseImageOptionsTable(props: UseImageOptions): null {
  void props;
  return null;
}

/** What `useImageGeneration` returns. */
export function UseImageGenerationResultTable(props: UseImageGenerationResult): null {
  void props;
  return null;
}

/** What `useImageEdit` returns. */
export function UseImageEditResultTable(props: UseImageEditResult): null {
  void props;
  return null;
}

/** What `useImageVariation` returns. */
export function UseImageVariationResultTable(props: UseImageVariationResult): null {
  void props;
  return null;
}
