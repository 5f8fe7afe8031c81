import { defineMessages } from '../lib/i18n.ts'

export const chatMessages = defineMessages(
  {
    title: 'Asistente de la asamblea',
    close: 'Cerrar el asistente',
    intro:
      'Pregúnteme por la agenda, el quórum, cómo votar o sus poderes. Respondo con los datos de sus asambleas.',
    log: 'Conversación con el asistente',
    inputLabel: 'Su pregunta',
    placeholder: 'Escriba su pregunta…',
    send: 'Enviar',
    you: 'Usted',
    assistant: 'Asistente',
    thinking: 'Pensando…',
    suggestAgenda: 'Agenda',
    suggestQuorum: 'Quórum',
    suggestHowToVote: '¿Cómo voto?',
    askAgenda: 'agenda',
    askQuorum: 'quórum',
    askHowToVote: 'cómo votar',
    failed: 'No pude responder: {reason}',
  },
  {
    title: 'Assembly assistant',
    close: 'Close the assistant',
    intro:
      'Ask me about the agenda, the quorum, how to vote or your proxies. I answer from your assemblies’ data.',
    log: 'Conversation with the assistant',
    inputLabel: 'Your question',
    placeholder: 'Type your question…',
    send: 'Send',
    you: 'You',
    assistant: 'Assistant',
    thinking: 'Thinking…',
    suggestAgenda: 'Agenda',
    suggestQuorum: 'Quorum',
    suggestHowToVote: 'How do I vote?',
    askAgenda: 'agenda',
    askQuorum: 'quorum',
    askHowToVote: 'how to vote',
    failed: 'I could not answer: {reason}',
  },
)
