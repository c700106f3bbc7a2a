import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';

import { MessageList, type ChatMessage, type ChatToolCall } from 'parlance';

import { message } from '../support/chat-fixtures';

const meta = {
  title: 'Components/MessageList/Tools, reasoning and sources',
  component: MessageList,
  args: {
    messages: [],
    onApproveToolCall: fn(),
    onRejectToolCall: fn(),
  },
} satisfies Meta<typeof MessageList>;

export default meta;
type Story = StoryObj<typeof meta>;

const question = message({ role: 'user', content: 'What is the weather in Paris?' });

function weatherCall(fields: Partial<ChatToolCall>): ChatToolCall {
  return {
    id: 'call_weather',
    name: 'get_weather',
    arguments: '{"city":"Paris","unit":"celsius"}',
    input: { city: 'Paris', unit: 'celsius' },
    status: 'done',
    ...fields,
  };
}

function toolTurn(call: ChatToolCall, fields: Partial<ChatMessage> = {}): ChatMessage[] {
  return [
    question,
    message({
      role: 'assistant',
      content: 'Let me check the forecast.',
      finishReason: 'tool_calls',
      toolCalls: [call],
      ...fields,
    }),
  ];
}

/** A call that needs the user's yes: Approve and Decline call back with the call's id. */
export const ToolAwaitingApproval: Story = {
  args: { messages: toolTurn(weatherCall({ status: 'awaiting-approval' })) },
  play: async ({ canvas, args }) => {
    const card = canvas.getByRole('group', { name: 'Tool call: get_weather' });
    await expect(within(card).getByText('Waiting for your approval')).toBeVisible();
    await expect(within(card).getByText(/"city": "Paris"/)).toBeVisible();
    await userEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    await expect(args.onApproveToolCall).toHaveBeenCalledWith('call_weather');
    await userEvent.click(within(card).getByRole('button', { name: 'Decline' }));
    await expect(args.onRejectToolCall).toHaveBeenCalledWith('call_weather', undefined);
  },
};

/** A call whose tool is running. */
export const ToolRunning: Story = {
  args: { messages: toolTurn(weatherCall({ status: 'running' }), { status: 'streaming' }) },
  play: async ({ canvas }) => {
    const card = canvas.getByRole('group', { name: 'Tool call: get_weather' });
    await expect(within(card).getByText('Running…')).toBeVisible();
    await expect(within(card).queryByRole('button', { name: 'Approve' })).toBeNull();
  },
};

/** A finished call with its result, and the answer that used it. */
export const ToolDone: Story = {
  args: {
    messages: [
      ...toolTurn(weatherCall({ output: { temperature: 18, sky: 'clear' } })),
      message({ role: 'assistant', content: 'It is 18 °C and clear in Paris.' }),
    ],
  },
  play: async ({ canvas }) => {
    const card = canvas.getByRole('group', { name: 'Tool call: get_weather' });
    await expect(within(card).getByText('Done')).toBeVisible();
    await expect(within(card).getByText('Result')).toBeVisible();
    await expect(within(card).getByText(/"temperature": 18/)).toBeVisible();
  },
};

/** A call whose tool failed. */
export const ToolError: Story = {
  args: { messages: toolTurn(weatherCall({ status: 'error', error: 'The weather service timed out.' })) },
  play: async ({ canvas }) => {
    const card = canvas.getByRole('group', { name: 'Tool call: get_weather' });
    await expect(card).toHaveAttribute('data-status', 'error');
    await expect(within(card).getByText('Failed')).toBeVisible();
    await expect(within(card).getByText(/The weather service timed out\./)).toBeVisible();
  },
};

/** A call the user declined, with the reason they gave. */
export const ToolRejected: Story = {
  args: { messages: toolTurn(weatherCall({ status: 'rejected', error: 'Not now.' })) },
  play: async ({ canvas }) => {
    const card = canvas.getByRole('group', { name: 'Tool call: get_weather' });
    await expect(within(card).getByText('Declined')).toBeVisible();
    await expect(within(card).getByText(/Not now\./)).toBeVisible();
  },
};

/** Long arguments fold behind their label. */
export const ToolLongArguments: Story = {
  args: {
    messages: toolTurn(
      weatherCall({
        name: 'create_report',
        arguments: JSON.stringify({
          title: 'Quarterly figures',
          sections: Array.from({ length: 12 }, (_, i) => `Section ${i + 1}`),
        }),
      }),
    ),
  },
  play: async ({ canvas }) => {
    const toggle = canvas.getByRole('button', { name: 'Arguments' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(canvas.queryByText(/Section 12/)).toBeNull();
    await userEvent.click(toggle);
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(canvas.getByText(/Section 12/)).toBeVisible();
  },
};

/** An app's own UI for one tool (generative UI); other tools keep the kit's card. */
export const CustomRenderToolCall: Story = {
  args: {
    messages: toolTurn(weatherCall({ status: 'awaiting-approval' })),
    renderToolCall: {
      get_weather: (call, { approve, reject }) => {
        const { city } = call.input as { city: string };
        return (
          <div className="forecast-request" style={{ padding: 8, border: '1px dashed currentColor' }}>
            <p style={{ margin: 0 }}>Look up the forecast for {city}?</p>
            {approve && (
              <button type="button" onClick={approve}>
                Show the forecast
              </button>
            )}
            {reject && (
              <button type="button" onClick={() => reject('Not needed')}>
                Skip
              </button>
            )}
          </div>
        );
      },
    },
  },
  play: async ({ canvas, args }) => {
    await expect(canvas.getByText('Look up the forecast for Paris?')).toBeVisible();
    await expect(canvas.queryByRole('group', { name: 'Tool call: get_weather' })).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Show the forecast' }));
    await expect(args.onApproveToolCall).toHaveBeenCalledWith('call_weather');
    await userEvent.click(canvas.getByRole('button', { name: 'Skip' }));
    await expect(args.onRejectToolCall).toHaveBeenCalledWith('call_weather', 'Not needed');
  },
};

const approvalTurn = toolTurn(weatherCall({ status: 'awaiting-approval' }));

function ApprovalDemo(props: React.ComponentProps<typeof MessageList>) {
  const [status, setStatus] = useState<ChatToolCall['status']>('awaiting-approval');
  const [user, reply] = approvalTurn as [ChatMessage, ChatMessage];
  const messages = [
    user,
    {
      ...reply,
      toolCalls: [weatherCall({ status, output: status === 'done' ? { temperature: 18 } : undefined })],
    },
  ];
  return (
    <MessageList
      {...props}
      messages={messages}
      onApproveToolCall={(id) => {
        props.onApproveToolCall?.(id);
        setStatus('running');
        setTimeout(() => setStatus('done'), 300);
      }}
      onRejectToolCall={(id, reason) => {
        props.onRejectToolCall?.(id, reason);
        setStatus('rejected');
      }}
    />
  );
}

/** Approving from the keyboard: focus stays on the card when its buttons go. */
export const ToolApprovalFlow: Story = {
  render: (args) => <ApprovalDemo {...args} />,
  play: async ({ canvas, args }) => {
    const approve = canvas.getByRole('button', { name: 'Approve' });
    approve.focus();
    await userEvent.keyboard('{Enter}');
    await expect(args.onApproveToolCall).toHaveBeenCalledWith('call_weather');
    const card = canvas.getByRole('group', { name: 'Tool call: get_weather' });
    await waitFor(() => expect(within(card).getByText('Done')).toBeVisible());
    await expect(card).toHaveFocus();
  },
};

const answer = 'Paris is the capital of France.';

/** Reasoning, folded, labelled with how long the model thought. */
export const ReasoningFolded: Story = {
  args: {
    messages: [
      question,
      message({
        role: 'assistant',
        content: answer,
        reasoning: 'The user asks about Paris. **Weather** changes; I should check a tool first.',
        reasoningMs: 12_000,
      }),
    ],
  },
  play: async ({ canvas }) => {
    const toggle = canvas.getByRole('button', { name: 'Thought for 12 s' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(canvas.queryByText(/I should check a tool first/)).toBeNull();
    await expect(canvas.getByText(answer)).toBeVisible();
  },
};

/** Reasoning unfolded by the user, from the keyboard. */
export const ReasoningUnfolded: Story = {
  args: ReasoningFolded.args,
  play: async ({ canvas }) => {
    const toggle = canvas.getByRole('button', { name: 'Thought for 12 s' });
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(canvas.getByText(/I should check a tool first/)).toBeVisible();
    await userEvent.keyboard(' ');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.keyboard(' ');
    await expect(canvas.getByText(/I should check a tool first/)).toBeVisible();
  },
};

/** While the model thinks, the label says so and the thoughts stay folded. */
export const ReasoningStreaming: Story = {
  args: {
    messages: [
      question,
      message({
        role: 'assistant',
        content: '',
        status: 'streaming',
        finishReason: null,
        reasoning: 'Let me see',
      }),
    ],
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Thinking…' })).toHaveAttribute('aria-expanded', 'false');
  },
};

/** A refusal shows as a notice, never as an empty reply. */
export const Refusal: Story = {
  args: {
    messages: [
      message({ role: 'user', content: 'Help me pick a lock.' }),
      message({ role: 'assistant', content: '', refusal: 'I can’t help with that.' }),
    ],
  },
  play: async ({ canvas }) => {
    const note = canvas.getByRole('note');
    await expect(note).toHaveTextContent('The model declined to answer');
    await expect(note).toHaveTextContent('I can’t help with that.');
  },
};

const cite = (url: string, title: string) => ({
  type: 'url_citation' as const,
  url_citation: { url, title, start_index: 0, end_index: 10 },
});

/** Cited sources under the reply, as links under the URL policy (a `javascript:` one stays text). */
export const Sources: Story = {
  args: {
    messages: [
      message({ role: 'user', content: 'Any good news today?' }),
      message({
        role: 'assistant',
        content: 'A new park opened in the city centre, and the river is cleaner than in decades.',
        annotations: [
          cite('https://www.example.com/park', 'City centre park opens'),
          cite('https://news.example.org/river', 'The river, cleaner than in decades'),
          cite('https://www.example.com/park', 'City centre park opens'),
          cite('javascript:alert(1)', 'Not a link'),
        ],
      }),
    ],
  },
  play: async ({ canvas }) => {
    const list = canvas.getByRole('list', { name: 'Sources' });
    const links = within(list).getAllByRole('link');
    await expect(links).toHaveLength(2);
    await expect(links[0]).toHaveAttribute('href', 'https://www.example.com/park');
    await expect(links[0]).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    await expect(links[0]).toHaveAttribute('target', '_blank');
    await expect(within(list).getByText('Not a link').tagName).toBe('SPAN');
  },
};

/** Every part in Simplified Chinese. */
export const ZhCN: Story = {
  parameters: { parlance: { locale: 'zh-CN' } },
  args: {
    messages: [
      message({ role: 'user', content: '巴黎天气怎么样？' }),
      message({
        role: 'assistant',
        content: '我查一下。',
        reasoning: '需要调用天气工具。',
        reasoningMs: 3000,
        toolCalls: [weatherCall({ status: 'awaiting-approval' })],
        annotations: [cite('https://example.com/weather', '天气预报')],
      }),
    ],
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: '已思考 3 秒' })).toBeVisible();
    await expect(canvas.getByRole('group', { name: '工具调用：get_weather' })).toBeVisible();
    await expect(canvas.getByRole('button', { name: '批准' })).toBeVisible();
    await expect(canvas.getByRole('list', { name: '来源' })).toBeVisible();
  },
};

/** Every tool state side by side, in the dark theme. */
export const AllToolStatesDark: Story = {
  parameters: { parlance: { theme: 'dark' } },
  args: {
    messages: [
      question,
      message({
        role: 'assistant',
        content: '',
        reasoning: 'Several tools at once.',
        reasoningMs: 2000,
        finishReason: 'tool_calls',
        toolCalls: (
          ['awaiting-approval', 'awaiting-result', 'running', 'done', 'error', 'rejected'] as const
        ).map((status, i) =>
          weatherCall({
            id: `call_${i}`,
            name: `tool_${status.replace('-', '_')}`,
            status,
            output: status === 'done' ? 'Sunny' : undefined,
            error: status === 'error' ? 'Boom' : status === 'rejected' ? 'No' : undefined,
          }),
        ),
      }),
    ],
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelectorAll('[data-slot="tool-call"]')).toHaveLength(6);
    await expect(within(canvasElement).getByText('Waiting for a result')).toBeVisible();
  },
};
