// A foreign A2A 1.0 worker built with the official JavaScript SDK (@a2a-js/sdk), for Switchboard's tests.
//
// Usage: node agent.mjs PORT
// Serves on 127.0.0.1:PORT: the agent card at /.well-known/agent-card.json, JSON-RPC at /a2a/jsonrpc and
// HTTP+JSON at /a2a/rest, streaming on. Its one skill, `reverse_words`, is one no Switchboard worker has.
// Every request is answered with a Task: submitted -> working -> artifact `reversed` -> completed.
// It knows nothing of Switchboard: it reads only the standard message parts.

import express from 'express';

import { A2A_PROTOCOL_VERSION, AGENT_CARD_PATH, Role, TaskState } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, restHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const HOST = '127.0.0.1';
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node agent.mjs PORT');
  process.exit(2);
}
const base = `http://${HOST}:${port}`;

const card = {
  name: 'js-word-reverser',
  description: 'A small agent built with the official A2A JavaScript SDK: it reverses the order of the words in a text.',
  supportedInterfaces: [
    { url: `${base}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: A2A_PROTOCOL_VERSION },
    { url: `${base}/a2a/rest`, protocolBinding: 'HTTP+JSON', tenant: '', protocolVersion: A2A_PROTOCOL_VERSION },
  ],
  provider: { organization: 'Switchboard test suite', url: 'https://example.org/switchboard' },
  version: '1.0.0',
  capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
  securitySchemes: {},
  securityRequirements: [],
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [
    {
      id: 'reverse_words',
      name: 'Reverse words',
      description:
        'Reverses the word order of a text: the last word comes first. Takes the text after a colon in the ' +
        'request, or the supplied text parts.',
      tags: ['reverse', 'words', 'word order'],
      examples: ['Reverse the words of: alpha beta gamma'],
      inputModes: ['text/plain'],
      outputModes: ['text/plain'],
      securityRequirements: [],
    },
  ],
  signatures: [],
};

/** The text of a part, or '' for non-text parts. */
function textOf(part) {
  return part.content?.$case === 'text' ? part.content.value : '';
}

/** What to reverse: supplied text parts after the instruction if any, else the instruction after its colon. */
function sourceText(message) {
  const texts = message.parts.map(textOf).filter((t) => t.trim());
  if (texts.length > 1) return texts.slice(1).join('\n');
  const instruction = texts[0] ?? '';
  const colon = instruction.indexOf(':');
  return colon >= 0 ? instruction.slice(colon + 1) : instruction;
}

function reverseWords(text) {
  return text.split(/\s+/).filter(Boolean).reverse().join(' ');
}

function textPart(value) {
  return { content: { $case: 'text', value }, metadata: undefined, filename: '', mediaType: 'text/plain' };
}

function status(ids, state, text) {
  const message = text
    ? {
        messageId: crypto.randomUUID(),
        contextId: ids.contextId,
        taskId: ids.taskId,
        role: Role.ROLE_AGENT,
        parts: [textPart(text)],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      }
    : undefined;
  return { state, message, timestamp: new Date().toISOString() };
}

class ReverseWordsExecutor {
  canceled = new Set();

  // the SDK's pattern: remember the request; `execute` checks it before its next step
  cancelTask = async (taskId) => {
    this.canceled.add(taskId);
  };

  async execute(context, eventBus) {
    const { taskId, contextId, userMessage } = context;
    const update = (state, text) =>
      eventBus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status({ taskId, contextId }, state, text), metadata: undefined }));
    eventBus.publish(
      AgentEvent.task(
        context.task ?? {
          id: taskId,
          contextId,
          status: status({ taskId, contextId }, TaskState.TASK_STATE_SUBMITTED),
          artifacts: [],
          history: [userMessage],
          metadata: undefined,
        },
      ),
    );
    try {
      update(TaskState.TASK_STATE_WORKING, 'Reversing the word order');
      const reversed = reverseWords(sourceText(userMessage));
      if (!reversed) {
        update(TaskState.TASK_STATE_REJECTED, 'There is no text to reverse.');
        return;
      }
      if (this.canceled.has(taskId)) {
        update(TaskState.TASK_STATE_CANCELED);
        return;
      }
      eventBus.publish(
        AgentEvent.artifactUpdate({
          taskId,
          contextId,
          artifact: {
            artifactId: 'reversed',
            name: 'reversed',
            description: 'The text with its word order reversed.',
            parts: [textPart(reversed)],
            metadata: undefined,
            extensions: [],
          },
          append: false,
          lastChunk: true,
          metadata: undefined,
        }),
      );
      update(TaskState.TASK_STATE_COMPLETED);
    } finally {
      this.canceled.delete(taskId);
    }
  }
}

const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), new ReverseWordsExecutor());
const app = express();
app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: requestHandler }));
app.use('/a2a/jsonrpc', jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication }));
app.use('/a2a/rest', restHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication }));

const server = app.listen(port, HOST, (err) => {
  if (err) {
    console.error(`cannot listen on ${base}: ${err.message}`);
    process.exit(1);
  }
  console.log(`js-word-reverser serving on ${base}`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
