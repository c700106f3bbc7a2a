// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { chatCatalogs, Composer, MessageList, ParlanceProvider } from 'parlance';

describe('chat strings', () => {
  it('has every string in English and Simplified Chinese, with the same placeholders', () => {
    const en = chatCatalogs.en;
    const zh = chatCatalogs['zh-CN'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zh[key], key).not.toBe('');
      const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('follows the provider locale, and a strings prop overrides single strings', () => {
    render(
      <ParlanceProvider locale="zh-CN">
        <Composer strings={{ send: '提交' }} defaultValue="你好" />
        <MessageList messages={[]} />
      </ParlanceProvider>,
    );
    expect(screen.getByRole('textbox', { name: '消息' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '提交' })).toBeTruthy();
    expect(screen.getByRole('log', { name: '对话' })).toBeTruthy();
  });

  it('names the send button "Send" in English', () => {
    render(
      <ParlanceProvider locale="en">
        <Composer defaultValue="hi" />
      </ParlanceProvider>,
    );
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });
});
