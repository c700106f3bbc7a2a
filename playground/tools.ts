// Two small tools the playground's chat offers the model, to show a tool round end to end. In
// offline mode the reference server calls a tool when the message names it ("What is the weather
// in Lyon?", "Set a reminder to call Ana"); with a real model, the model decides.
import type { ChatTools } from 'parlance';

/** A made-up forecast: the same city gives the same figures (no network, no key). */
function forecast(city: string) {
  let hash = 0;
  for (const char of city.toLowerCase()) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return {
    city,
    celsius: 8 + (hash % 20),
    sky: ['clear', 'cloudy', 'rain', 'windy'][hash % 4],
    source: 'demo data',
  };
}

export const playgroundTools: ChatTools = {
  get_weather: {
    description: 'The current weather in a city (demo data).',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'The city, e.g. Lyon' } },
      required: ['city'],
      additionalProperties: false,
    },
    execute: ({ city }: { city?: string }) => forecast(city?.trim() || 'Lyon'),
  },
  set_reminder: {
    description: 'Sets a reminder for the user. Asks the user to approve it first.',
    parameters: {
      type: 'object',
      properties: {
        text: { type: 'string', description: 'What to remind the user of' },
        when: { type: 'string', description: 'When, e.g. tomorrow at 9' },
      },
      required: ['text'],
      additionalProperties: false,
    },
    needsApproval: true,
    execute: ({ text, when }: { text?: string; when?: string }) => ({
      scheduled: true,
      text,
      when: when ?? 'later',
    }),
  },
};
