import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-vitest', '@storybook/addon-a11y'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The sidebar's "get started with Storybook" checklist is for a new Storybook, not for readers of these docs.
  features: { sidebarOnboardingChecklist: false },
  typescript: {
    // The TypeScript checker, not react-docgen's parser: props that come from imported or extended
    // types (ChatWindowProps, the hooks' options) get their types and JSDoc in the tables too.
    reactDocgen: 'react-docgen-typescript',
    reactDocgenTypescriptOptions: {
      include: ['src/**/*.tsx', 'stories/**/*.tsx'],
      shouldExtractLiteralValuesFromEnum: true,
      shouldRemoveUndefinedFromOptional: true,
      // The kit's own props only, not every attribute of the elements they extend.
      propFilter: (prop) => !prop.parent || !/node_modules/.test(prop.parent.fileName),
    },
  },
  // The root Vite config builds the library; Storybook builds an app.
  viteFinal: (config) => {
    if (config.build) {
      delete config.build.lib;
      delete config.build.rolldownOptions;
    }
    return config;
  },
};

export default config;
