// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { ChatWindow, ParlanceProvider } from 'parlance';
import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, test } from 'vitest';

// Runs only in the react18 project, which resolves React to the workspace's React 18.
test('the kit renders a chat window on React 18', () => {
  expect(version).toMatch(/^18\./);
  expect(domVersion).toBe(version);
  render(
    <ParlanceProvider baseUrl="http://127.0.0.1:9/v1" model="gpt-4o-mini" locale="en">
      <ChatWindow />
    </ParlanceProvider>,
  );
  expect(screen.getByRole('textbox', { name: /message/i })).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
});
