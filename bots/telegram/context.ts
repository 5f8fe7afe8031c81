import type { Context, SessionFlavor } from 'grammy'
import type { ChatState, ChatTurn } from '../../core/chat/types.ts'

/** grammY's context with the chat state (session in the bus) and who speaks (resolved per update). */
export type BotContext = Context & SessionFlavor<ChatState> & { turn: ChatTurn }
