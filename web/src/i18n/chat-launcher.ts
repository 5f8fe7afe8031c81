import { defineMessages } from '../lib/i18n.ts'

/** What the launcher needs (on every page that has it); the rest loads with the widget. */
export const chatLauncherMessages = defineMessages(
  {
    open: 'Asistente',
    openLabel: 'Abrir el asistente de la asamblea',
    loadFailed: 'No se pudo abrir el asistente. Compruebe su conexión e inténtelo de nuevo.',
  },
  {
    open: 'Assistant',
    openLabel: 'Open the assembly assistant',
    loadFailed: 'The assistant could not be opened. Check your connection and try again.',
  },
)
