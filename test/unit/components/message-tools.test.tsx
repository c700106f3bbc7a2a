// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import {
  ChatWindow,
  MessageList,
  ParlanceProvider,
  type ChatMessage,
  type ChatToolCall,
  type MessageListProps,
  type ToolCallHelpers,
} from 'parlance';
import { giveElementsASize } from '../../support/jsdom-layout';

function reply(fields: Partial<ChatMessage>): ChatMessage {
  return {
    id: 'a1',
    role: 'assistant',
    content: '',
    createdAt: 0,
    status: 'done',
    finishReason: 'stop',
    endState: null,
    usage: null,
    error: null,
    ...fields,
  };
}

function call(fields: Partial<ChatToolCall>): ChatToolCall {
  return {
    id: 'call_1',
    name: 'get_weather',
    arguments: '{"city":"Paris","unit":"c"}',
    input: { city: 'Paris', unit: 'c' },
    status: 'done',
    ...fields,
  };
}

giveElementsASize();

function show(message: ChatMessage, props: Partial<MessageListProps> = {}, locale: 'en' | 'zh-CN' = 'en') {
  return render(
    <ParlanceProvider locale={locale}>
      <MessageList messages={[message]} {...props} />
    </ParlanceProvider>,
  );
}

describe('tool calls in MessageList', () => {
  it('shows a call awaiting approval as a named group whose buttons call back with its id', () => {
    const onApproveToolCall = vi.fn();
    const onRejectToolCall = vi.fn();
    show(reply({ finishReason: 'tool_calls', toolCalls: [call({ status: 'awaiting-approval' })] }), {
      onApproveToolCall,
      onRejectToolCall,
    });
    const card = screen.getByRole('group', { name: 'Tool call: get_weather' });
    expect(card.getAttribute('data-status')).toBe('awaiting-approval');
    expect(within(card).getByText('Waiting for your approval')).toBeTruthy();
    // Arguments are shown indented.
    expect(card.querySelector('pre')!.textContent).toBe('{\n  "city": "Paris",\n  "unit": "c"\n}');
    fireEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    expect(onApproveToolCall).toHaveBeenCalledExactlyOnceWith('call_1');
    fireEvent.click(within(card).getByRole('button', { name: 'Decline' }));
    expect(onRejectToolCall).toHaveBeenCalledExactlyOnceWith('call_1', undefined);
    expect(within(card).getByRole('button', { name: 'Approve' }).getAttribute('aria-describedby')).toBe(
      card.getAttribute('aria-labelledby'),
    );
  });

  it('offers no buttons without the callbacks, nor for a call that no longer waits', () => {
    const { unmount } = show(reply({ toolCalls: [call({ status: 'awaiting-approval' })] }));
    expect(screen.getByText('Waiting for your approval')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    unmount();
    show(reply({ toolCalls: [call({ status: 'running' })] }), { onApproveToolCall: vi.fn() });
    expect(screen.getByText('Running…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('shows the output of a finished call, the error of a failed one and the reason of a declined one', () => {
    show(
      reply({
        toolCalls: [
          call({ id: 'c1', output: { temperature: 18 } }),
          call({ id: 'c2', name: 'search', status: 'error', error: 'Timed out' }),
          call({ id: 'c3', name: 'delete_file', status: 'rejected', error: 'Not now' }),
          call({ id: 'c4', name: 'lookup', status: 'done', output: '{"a":1}' }),
        ],
      }),
    );
    const done = screen.getByRole('group', { name: 'Tool call: get_weather' });
    expect(within(done).getByText('Done')).toBeTruthy();
    expect(within(done).getByText('Result')).toBeTruthy();
    expect(done.querySelectorAll('pre')[1]!.textContent).toBe('{\n  "temperature": 18\n}');
    const failed = screen.getByRole('group', { name: 'Tool call: search' });
    expect(within(failed).getByText('Failed')).toBeTruthy();
    expect(within(failed).getByText(/Timed out/)).toBeTruthy();
    const declined = screen.getByRole('group', { name: 'Tool call: delete_file' });
    expect(within(declined).getByText('Declined')).toBeTruthy();
    expect(within(declined).getByText(/Not now/)).toBeTruthy();
    // A string output that is JSON is indented like any other.
    const lookup = screen.getByRole('group', { name: 'Tool call: lookup' });
    expect(lookup.querySelectorAll('pre')[1]!.textContent).toBe('{\n  "a": 1\n}');
  });

  it('folds long arguments behind a disclosure button', () => {
    const long = JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])));
    show(reply({ toolCalls: [call({ arguments: long })] }));
    const toggle = screen.getByRole('button', { name: 'Arguments' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText(/"k19": 19/)).toBeNull();
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById(toggle.getAttribute('aria-controls')!)!.textContent).toContain(
      '"k19": 19',
    );
  });

  it('renders an app’s own UI per tool name; undefined from a function keeps the card', () => {
    const onApproveToolCall = vi.fn();
    const { unmount } = show(
      reply({
        toolCalls: [
          call({ id: 'w', status: 'awaiting-approval' }),
          call({ id: 'x', name: 'constructor', output: 1 }),
        ],
      }),
      {
        onApproveToolCall,
        renderToolCall: {
          get_weather: (c, helpers) => (
            <button type="button" onClick={helpers.approve}>
              Forecast for {(c.input as { city: string }).city}
            </button>
          ),
        },
      },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Forecast for Paris' }));
    expect(onApproveToolCall).toHaveBeenCalledWith('w');
    expect(screen.queryByRole('group', { name: 'Tool call: get_weather' })).toBeNull();
    // A name that is also an Object.prototype member is not a renderer.
    expect(screen.getByRole('group', { name: 'Tool call: constructor' })).toBeTruthy();
    unmount();

    const renderToolCall = vi.fn((c: ChatToolCall, _helpers: ToolCallHelpers) =>
      c.name === 'search' ? <p>Searching</p> : undefined,
    );
    show(reply({ toolCalls: [call({ id: 'a' }), call({ id: 'b', name: 'search' })] }), { renderToolCall });
    expect(screen.getByRole('group', { name: 'Tool call: get_weather' })).toBeTruthy();
    expect(screen.getByText('Searching')).toBeTruthy();
    expect(renderToolCall.mock.calls[0]![1]).toMatchObject({ approve: undefined, reject: undefined });
  });
});

describe('reasoning, refusals and sources', () => {
  it('folds the reasoning, labelled with how long the model thought', () => {
    show(reply({ content: 'Answer.', reasoning: 'First, **consider** the question.', reasoningMs: 12_400 }));
    const toggle = screen.getByRole('button', { name: 'Thought for 12 s' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText(/consider/)).toBeNull();
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const panel = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(panel.querySelector('strong')!.textContent).toBe('consider');
    fireEvent.click(toggle);
    expect(screen.queryByText(/consider/)).toBeNull();
  });

  it('says "Thinking…" while reasoning streams before the answer, and "Reasoning" when the time is unknown', () => {
    const { rerender } = show(reply({ status: 'streaming', finishReason: null, reasoning: 'Hmm' }));
    expect(screen.getByRole('button', { name: 'Thinking…' }).getAttribute('aria-expanded')).toBe('false');
    rerender(
      <ParlanceProvider locale="en">
        <MessageList messages={[reply({ content: 'Done.', reasoning: 'Hmm' })]} />
      </ParlanceProvider>,
    );
    expect(screen.getByRole('button', { name: 'Reasoning' })).toBeTruthy();
  });

  it('shows a refusal as a note, never as an empty reply', () => {
    show(reply({ refusal: 'I can’t help with that.' }));
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('The model declined to answer');
    expect(note.textContent).toContain('I can’t help with that.');
    expect(document.querySelector('.parlance-markdown')).toBeNull();
  });

  it('lists cited sources once each, under the URL policy', () => {
    const cite = (url: string, title: string) => ({
      type: 'url_citation' as const,
      url_citation: { url, title, start_index: 0, end_index: 4 },
    });
    show(
      reply({
        content: 'News.',
        annotations: [
          cite('https://www.example.com/a', 'Example A'),
          cite('https://www.example.com/a', 'Example A again'),
          cite('javascript:alert(1)', 'Bad'),
          // A flat citation, as some compatible servers write it.
          { type: 'url_citation', url: 'https://news.test/b', title: 'B' } as never,
        ],
      }),
    );
    const list = screen.getByRole('list', { name: 'Sources' });
    const links = within(list).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Example A', 'https://www.example.com/a'],
      ['B', 'https://news.test/b'],
    ]);
    for (const link of links) {
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
      expect(link.getAttribute('target')).toBe('_blank');
    }
    expect(within(list).getByText('Bad').tagName).toBe('SPAN');
    expect(within(list).getByText('example.com')).toBeTruthy();
  });

  it('speaks Simplified Chinese', () => {
    show(
      reply({
        reasoning: '想一想',
        reasoningMs: 3000,
        refusal: '不行',
        toolCalls: [call({ status: 'awaiting-approval' })],
        annotations: [
          {
            type: 'url_citation',
            url_citation: { url: 'https://a.test', title: 'A', start_index: 0, end_index: 1 },
          },
        ],
      }),
      { onApproveToolCall: vi.fn(), onRejectToolCall: vi.fn() },
      'zh-CN',
    );
    expect(screen.getByRole('button', { name: '已思考 3 秒' })).toBeTruthy();
    expect(screen.getByRole('group', { name: '工具调用：get_weather' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '批准' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '拒绝' })).toBeTruthy();
    expect(screen.getByRole('list', { name: '来源' })).toBeTruthy();
    expect(screen.getByRole('note').textContent).toContain('模型拒绝回答');
  });
});

describe('ChatWindow', () => {
  it('passes the tool call props on to its list', () => {
    const onApproveToolCall = vi.fn();
    render(
      <ParlanceProvider locale="en" baseUrl="https://api.example.test/v1">
        <ChatWindow
          showTokenMeter={false}
          initialMessages={[reply({ toolCalls: [call({ status: 'awaiting-approval' })] })]}
          onApproveToolCall={onApproveToolCall}
          renderToolCall={(c) => (c.name === 'get_weather' ? undefined : null)}
        />
      </ParlanceProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(onApproveToolCall).toHaveBeenCalledExactlyOnceWith('call_1');
  });

  it("without handlers, Approve and Decline act on the window's own chat", async () => {
    const sent: number[] = [];
    render(
      <ParlanceProvider locale="en" baseUrl="https://api.example.test/v1">
        <ChatWindow
          showTokenMeter={false}
          initialMessages={[
            { id: 'u1', role: 'user', content: 'Weather?' },
            reply({ finishReason: 'tool_calls', toolCalls: [call({ status: 'awaiting-approval' })] }),
          ]}
          transport={{
            send: async function* () {
              sent.push(1);
              yield* [];
            },
          }}
        />
      </ParlanceProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Decline' }));
    // Declined in the chat's state: the card says so and asks no more.
    expect(await screen.findByText('Declined')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    // Every call answered: the chat asked the model to go on.
    await vi.waitFor(() => expect(sent).toEqual([1]));
  });
});
