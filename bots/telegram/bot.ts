import { Bot, type BotError, session } from 'grammy'
import type { UserFromGetMe } from 'grammy/types'
import { t } from '../../core/chat/i18n.ts'
import type { ChatServices, ChatState } from '../../core/chat/types.ts'
import type { TelegramConfig } from '../../core/config.ts'
import { createBusStorage } from '../storage.ts'
import type { BotContext } from './context.ts'
import { agendaFeature } from './features/agenda.ts'
import { assembliesFeature } from './features/assemblies.ts'
import { checkInFeature } from './features/checkin.ts'
import { fallbackFeature } from './features/fallback.ts'
import { leaveFeature } from './features/leave.ts'
import { muteFeature } from './features/mute.ts'
import { proxiesFeature } from './features/proxies.ts'
import { quorumFeature } from './features/quorum.ts'
import { receiptFeature } from './features/receipt.ts'
import { startFeature } from './features/start.ts'
import { unlinkFeature } from './features/unlink.ts'
import { voteFeature } from './features/vote.ts'
import { identify } from './respond.ts'

const SESSION_TTL_MS = 7 * 86_400_000

/** The bot's own identity, from configuration: grammY then never calls getMe (no network at start). */
export function botInfoOf(config: TelegramConfig): UserFromGetMe {
  return {
    id: Number(config.token.split(':')[0]),
    is_bot: true,
    first_name: 'Asamblea 2.0',
    username: config.username,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  }
}

/** The commands shown in Telegram's menu (registered by bots/telegram/set-webhook.ts). */
export const COMMANDS = [
  { command: 'votar', description: 'Votar la moción abierta / Vote' },
  { command: 'asambleas', description: 'Mis asambleas / My assemblies' },
  { command: 'agenda', description: 'Orden del día / Agenda' },
  { command: 'quorum', description: 'Quórum ahora / Quorum now' },
  { command: 'asistencia', description: 'Registrar asistencia / Check in' },
  { command: 'salir', description: 'Salir de la asamblea / Leave the assembly' },
  { command: 'poderes', description: 'Mis poderes / My proxies' },
  { command: 'recibo', description: 'Verificar un recibo / Check a receipt' },
  { command: 'silenciar', description: 'Silenciar avisos / Mute notices' },
  { command: 'activar', description: 'Activar avisos / Unmute notices' },
  { command: 'desvincular', description: 'Desvincular este chat / Unlink' },
  { command: 'ayuda', description: 'Ayuda / Help' },
]

/**
 * The Telegram bot: sessions in the bus, one Composer per feature behind an error boundary, private
 * chats only (a button pressed in a group could be anyone's), the catch-all last. Construction makes
 * no network call; it works the same by webhook (server.ts) and by long polling (development).
 */
export function createTelegramBot(deps: ChatServices, config: TelegramConfig): Bot<BotContext> {
  const bot = new Bot<BotContext>(config.token, {
    botInfo: botInfoOf(config),
    client: config.apiRoot ? { apiRoot: config.apiRoot } : {},
  })
  const onError = async (error: BotError<BotContext>) => {
    deps.log.error('telegram update failed', { updateId: error.ctx.update.update_id, error: error.error })
    await error.ctx.reply(t(error.ctx.turn?.language ?? 'es', 'error')).catch(() => {})
  }
  const guarded = bot.errorBoundary(onError)
  guarded.use(
    session<ChatState, BotContext>({
      initial: () => ({}),
      getSessionKey: (ctx) => (ctx.chat ? String(ctx.chat.id) : undefined),
      storage: createBusStorage<ChatState>(deps.bus, 'bots:session:telegram:', SESSION_TTL_MS),
    }),
  )
  guarded.chatType(['group', 'supergroup', 'channel']).command(
    COMMANDS.map((entry) => entry.command),
    (ctx) => ctx.reply('🔒 Escríbame por privado / Please write to me privately.'),
  )
  const privateChats = guarded.chatType('private')
  privateChats.use(identify(deps))
  privateChats.use(
    startFeature(deps),
    assembliesFeature(deps),
    agendaFeature(deps),
    quorumFeature(deps),
    checkInFeature(deps),
    leaveFeature(deps),
    voteFeature(deps),
    receiptFeature(deps),
    proxiesFeature(deps),
    muteFeature(deps),
    unlinkFeature(deps),
    fallbackFeature(deps),
  )
  // Outside every boundary (e.g. a polling failure): logged, and the bot keeps running.
  bot.catch((error) => deps.log.error('telegram bot error', { error: error.error }))
  return bot
}
