import { type Static, Type } from '@sinclair/typebox'

/*
 * The web chat's answer, owned once here (TypeBox, without Elysia): the route validates and documents
 * with it, the chat engine's Reply is its static type and the web widget reads it.
 */

/** A button or list row: `id` is the compact action data sent back when pressed (see actions.ts). */
export const ChoiceSchema = Type.Object({
  id: Type.String({ description: 'Send back as `action` when pressed' }),
  label: Type.String(),
})

/** One message to the person, channel-neutral: each channel renders the choices its own way. */
export const ReplySchema = Type.Object({
  text: Type.String(),
  choices: Type.Optional(Type.Array(ChoiceSchema)),
})

/** POST /chat/webchat. */
export const WebChatAnswerSchema = Type.Object({
  replies: Type.Array(ReplySchema),
  /** intent: answered from live data; llm: by the language model; help: what the chat can do. */
  source: Type.Union([Type.Literal('intent'), Type.Literal('llm'), Type.Literal('help')]),
})
export type WebChatAnswer = Static<typeof WebChatAnswerSchema>
