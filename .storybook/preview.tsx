import type { Preview } from '@storybook/react-vite';

import 'parlance/styles.css';

const preview: Preview = {
  parameters: {
    // Every story is an accessibility test: a violation fails it.
    a11y: { test: 'error' },
    controls: { matchers: { color: /(background|color)$/i } },
  },
  tags: ['autodocs'],
};

export default preview;
