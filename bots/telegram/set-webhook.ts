/**
 * Registers the production webhook with Telegram (run once per deployment, or after changing the
 * secret): `bun bots/telegram/set-webhook.ts`. Uses PUBLIC_URL, TELEGRAM_BOT_TOKEN and
 * TELEGRAM_WEBHOOK_SECRET; also publishes the command menu.
 */
import { Api } from 'grammy'
import { loadConfigOrExit } from '../../core/config.ts'
import { COMMANDS } from './bot.ts'

const config = loadConfigOrExit()
const telegram = config.bots.telegram
if (!telegram?.webhookSecret) {
  console.error('Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first.')
  process.exit(1)
}
const api = new Api(telegram.token, telegram.apiRoot ? { apiRoot: telegram.apiRoot } : {})
const url = `${config.publicUrl}/bots/telegram`
await api.setWebhook(url, {
  secret_token: telegram.webhookSecret,
  allowed_updates: ['message', 'callback_query'],
  max_connections: 40,
})
await api.setMyCommands(COMMANDS)
console.log(`Telegram webhook set to ${url}`)
