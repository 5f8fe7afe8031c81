import type { Lang } from './types.ts'

/*
 * Every sentence the bots say, Spanish first. Placeholders are {name}; `t` fills them and leaves
 * unknown ones visible, so a missing parameter shows up in tests instead of vanishing.
 */
const messages = {
  about: {
    es: 'Asamblea 2.0 es la plataforma de asambleas de propietarios de su PH: convocatorias, asistencia, quórum en vivo, votaciones con recibo verificable y el acta.',
    en: 'Assembly 2.0 is the owners’ assembly platform of your building: calls, attendance, live quorum, votes with a verifiable receipt, and the minutes.',
  },
  help: {
    es: 'Puedo ayudarle con: asambleas, agenda, quórum, votar, cómo votar, poderes, recibo <código>, asistencia, salir de la asamblea, silenciar / activar avisos, desvincular, idioma.',
    en: 'I can help with: assemblies, agenda, quorum, vote, how to vote, proxies, receipt <code>, check in, leave the assembly, mute / unmute, unlink, language.',
  },
  helpPublic: {
    es: 'Para consultar sus asambleas y votar, vincule este chat: en la web, «Chat» → «Vincular», y envíe aquí el código (vincular ABCD-1234). O envíe su correo y le mandaremos un código. Sin vincular puedo explicarle qué es la plataforma y cómo votar.',
    en: 'To see your assemblies and vote, link this chat: on the web, “Chat” → “Link”, then send the code here (link ABCD-1234). Or send your email and we will mail you a code. Unlinked, I can explain what the platform is and how to vote.',
  },
  howToVote: {
    es: 'Cómo votar: 1) registre su asistencia (en la puerta o aquí con «asistencia» si la asamblea es remota o mixta); 2) cuando se abra una votación, escriba «votar» o pulse el botón del aviso; 3) elija su opción y confírmela. Recibirá un código de recibo para comprobar que su voto se contó. Si representa varias unidades (propietario o apoderado), el voto vale para todas las presentes.',
    en: 'How to vote: 1) check in (at the door, or here with “check in” if the meeting is remote or mixed); 2) when a vote opens, write “vote” or press the button in the notice; 3) choose and confirm. You get a receipt code to check your vote was counted. If you represent several units (owner or proxy holder), the vote applies to every present one.',
  },
  needLink: {
    es: 'Este chat no está vinculado a una cuenta. {helpPublic}',
    en: 'This chat is not linked to an account. {helpPublic}',
  },
  webOnly: {
    es: 'En la web su cuenta ya es la de la sesión; vincular, silenciar y desvincular se hacen desde Telegram o WhatsApp.',
    en: 'On the web your account is the signed-in one; linking, muting and unlinking happen in Telegram or WhatsApp.',
  },
  unknown: {
    es: 'No entendí. {help}',
    en: 'I did not understand. {help}',
  },
  error: {
    es: 'Algo salió mal. Intente de nuevo en un momento.',
    en: 'Something went wrong. Please try again in a moment.',
  },
  tooMany: {
    es: 'Demasiados intentos. Espere {seconds} s e intente de nuevo.',
    en: 'Too many attempts. Wait {seconds} s and try again.',
  },
  linked: {
    es: 'Listo: este chat quedó vinculado a su cuenta ({email}). Escriba «ayuda» para ver qué puedo hacer.',
    en: 'Done: this chat is now linked to your account ({email}). Write “help” to see what I can do.',
  },
  linkCodeInvalid: {
    es: 'Ese código no es válido o ya venció. Pida uno nuevo en la web («Chat» → «Vincular»).',
    en: 'That code is not valid or has expired. Get a new one on the web (“Chat” → “Link”).',
  },
  emailSent: {
    es: 'Si {email} está registrado, le enviamos un código de 6 dígitos. Escríbalo aquí (vence en {minutes} min).',
    en: 'If {email} is registered, we sent it a 6-digit code. Write it here (it expires in {minutes} min).',
  },
  otpInvalid: {
    es: 'El código no es correcto. Revise el correo e intente de nuevo.',
    en: 'The code is not correct. Check the email and try again.',
  },
  otpExpired: {
    es: 'El código venció o se agotaron los intentos. Envíe de nuevo su correo para recibir otro.',
    en: 'The code expired or has no attempts left. Send your email again to get another.',
  },
  unlinked: {
    es: 'Este chat ya no está vinculado. No recibirá avisos ni podrá votar desde aquí hasta vincularlo de nuevo.',
    en: 'This chat is no longer linked. You will get no notices and cannot vote from here until you link it again.',
  },
  muted: {
    es: 'Avisos silenciados. Escriba «activar» para volver a recibirlos.',
    en: 'Notices muted. Write “unmute” to receive them again.',
  },
  unmuted: {
    es: 'Avisos activados: le avisaré de convocatorias, inicios y votaciones.',
    en: 'Notices on: I will tell you about calls, meetings starting and votes opening.',
  },
  languageSet: { es: 'Le escribiré en español.', en: 'I will write to you in English.' },
  noAssemblies: {
    es: 'No encontré asambleas suyas. Si es propietario, pida a la administración que registre su correo.',
    en: 'I found no assemblies of yours. If you are an owner, ask the administration to register your email.',
  },
  assembliesOf: { es: '{ph}:', en: '{ph}:' },
  assemblyLine: {
    es: '• Nº {number} «{title}» — {status}, {date}',
    en: '• No. {number} “{title}” — {status}, {date}',
  },
  noCurrentAssembly: {
    es: '{ph}: no hay una asamblea convocada ni en curso.',
    en: '{ph}: no assembly is called or running.',
  },
  agendaOf: { es: 'Orden del día de «{title}» ({ph}):', en: 'Agenda of “{title}” ({ph}):' },
  agendaEmpty: { es: 'Aún no tiene puntos.', en: 'It has no items yet.' },
  agendaMotion: { es: '   ↳ votación «{title}»: {status}', en: '   ↳ vote “{title}”: {status}' },
  quorum: {
    es: 'Quórum de «{title}» ({ph}), {call} convocatoria: {percent} % del coeficiente presente ({present} de {total} unidades). {verdict}',
    en: 'Quorum of “{title}” ({ph}), {call} call: {percent} % of the coefficient present ({present} of {total} units). {verdict}',
  },
  quorumReached: { es: 'Hay quórum.', en: 'Quorum reached.' },
  quorumMissing: { es: 'Todavía no hay quórum.', en: 'No quorum yet.' },
  callFirst: { es: 'primera', en: 'first' },
  callSecond: { es: 'segunda', en: 'second' },
  proxiesNone: {
    es: 'No tiene poderes activos en asambleas abiertas.',
    en: 'You have no active proxies in open assemblies.',
  },
  proxyHeld: {
    es: '• {ph}: usted representa la unidad {unit} (poder) en «{title}».',
    en: '• {ph}: you represent unit {unit} (proxy) in “{title}”.',
  },
  proxyGranted: {
    es: '• {ph}: su unidad {unit} está representada por {holder} en «{title}».',
    en: '• {ph}: your unit {unit} is represented by {holder} in “{title}”.',
  },
  noOpenMotion: {
    es: 'No hay ninguna votación abierta en sus asambleas ahora.',
    en: 'No vote is open in your assemblies right now.',
  },
  pickMotion: { es: 'Hay varias votaciones abiertas. ¿Cuál?', en: 'Several votes are open. Which one?' },
  motionPrompt: {
    es: 'Votación abierta ({ph}): «{title}»\nVotará por: {units}.\nElija su opción:',
    en: 'Open vote ({ph}): “{title}”\nYou vote for: {units}.\nChoose your option:',
  },
  cannotVote: {
    es: 'No representa ninguna unidad que pueda votar «{title}».',
    en: 'You represent no unit that may vote on “{title}”.',
  },
  mustCheckIn: {
    es: 'Para votar «{title}», registre primero la asistencia de {units}.',
    en: 'To vote on “{title}”, first check in {units}.',
  },
  confirmPrompt: {
    es: '¿Confirma su voto «{option}» en «{title}» por {units}?',
    en: 'Confirm your vote “{option}” on “{title}” for {units}?',
  },
  multiPrompt: {
    es: 'Votación abierta ({ph}): «{title}»\nVotará por: {units}.\nMarque hasta {max} opciones y pulse «Confirmar».\nMarcadas: {chosen}',
    en: 'Open vote ({ph}): “{title}”\nYou vote for: {units}.\nTick up to {max} options, then press “Confirm”.\nTicked: {chosen}',
  },
  noneChosen: { es: 'ninguna', en: 'none' },
  confirmCount: { es: 'Confirmar ({count})', en: 'Confirm ({count})' },
  pageOf: {
    es: 'Opciones {from}–{to} de {total}. Use «Más» y «Anteriores» para verlas todas, o vote en la web: {url}',
    en: 'Options {from}–{to} of {total}. Use “More” and “Previous” to see them all, or vote on the web: {url}',
  },
  nextPage: { es: 'Más ▶', en: 'More ▶' },
  previousPage: { es: '◀ Anteriores', en: '◀ Previous' },
  tooManyChosen: {
    es: 'Puede marcar hasta {max} opciones: desmarque una antes de elegir otra.',
    en: 'You may tick up to {max} options: untick one before choosing another.',
  },
  chooseAtLeastOne: {
    es: 'Marque al menos una opción antes de confirmar.',
    en: 'Tick at least one option before confirming.',
  },
  confirm: { es: 'Confirmar', en: 'Confirm' },
  cancel: { es: 'Cancelar', en: 'Cancel' },
  voteButton: { es: 'Votar', en: 'Vote' },
  checkInButton: { es: 'Registrar asistencia', en: 'Check in' },
  voteCancelled: { es: 'Voto cancelado; no se registró nada.', en: 'Vote cancelled; nothing was recorded.' },
  voteExpired: {
    es: 'Esa confirmación ya no es válida. Escriba «votar» para empezar de nuevo.',
    en: 'That confirmation is no longer valid. Write “vote” to start again.',
  },
  voteAccepted: {
    es: 'Voto registrado en «{title}». Guarde su recibo:\n{receipts}\nPuede comprobarlo con «recibo <código>».',
    en: 'Vote recorded on “{title}”. Keep your receipt:\n{receipts}\nCheck it with “receipt <code>”.',
  },
  receiptLine: { es: '• Unidad {unit}: {code}', en: '• Unit {unit}: {code}' },
  voteRefused: { es: 'Su voto no se registró: {reason}', en: 'Your vote was not recorded: {reason}' },
  reasonClosed: { es: 'la votación ya está cerrada.', en: 'the vote is closed.' },
  reasonNotInProgress: { es: 'la asamblea no está en curso.', en: 'the assembly is not in session.' },
  reasonNotAuthorized: {
    es: 'no está autorizado a votar por esas unidades.',
    en: 'you may not vote for those units.',
  },
  reasonNotPresent: { es: 'falta registrar la asistencia.', en: 'the units are not checked in.' },
  reasonOther: { es: 'la votación lo rechazó ({code}).', en: 'the vote refused it ({code}).' },
  receiptUsage: {
    es: 'Envíe «recibo» seguido del código que recibió al votar, p. ej. recibo 7KQ2M-X9D4A.',
    en: 'Send “receipt” followed by the code you got when voting, e.g. receipt 7KQ2M-X9D4A.',
  },
  receiptCounted: {
    es: 'Recibo válido: su voto en «{title}» está registrado{counted}.',
    en: 'Valid receipt: your vote on “{title}” is recorded{counted}.',
  },
  receiptInResult: { es: ' y contado en el resultado final', en: ' and counted in the final result' },
  receiptPending: {
    es: 'Recibo válido: su voto en «{title}» fue aceptado y se está guardando.',
    en: 'Valid receipt: your vote on “{title}” was accepted and is being stored.',
  },
  receiptNotFound: {
    es: 'No encontré ese recibo en las votaciones de sus asambleas. Si volvió a votar, vale el último recibo.',
    en: 'I did not find that receipt in your assemblies’ votes. If you voted again, the last receipt counts.',
  },
  checkedIn: {
    es: 'Asistencia registrada en «{title}» para {units}.',
    en: 'Checked in to “{title}” for {units}.',
  },
  leaveWarning: {
    es: 'Va a registrar su salida de «{title}» (unidad {units}). Desde ese momento sus unidades dejan de contar para el quórum (ahora hay {coefficient} % del coeficiente presente). Si se pierde el quórum, no se podrán abrir más votaciones y las abiertas lo harán constar en el acta. Puede volver a registrarse después con «asistencia». Si no desea salir, ignore este mensaje.',
    en: 'You are about to record your departure from “{title}” (unit {units}). From then on your units no longer count for the quorum (now {coefficient} % of the coefficient present). If the quorum is lost, no more votes can be opened and open ones will record it in the minutes. You can check in again later with “check in”. If you do not want to leave, ignore this message.',
  },
  leaveButton: { es: 'Registrar mi salida', en: 'Record my departure' },
  leftKept: {
    es: 'Salida registrada a las {time} (unidad {units}); queda en el acta. La asamblea mantiene el quórum.',
    en: 'Departure recorded at {time} (unit {units}); it goes in the minutes. The assembly keeps its quorum.',
  },
  leftLost: {
    es: 'Salida registrada a las {time} (unidad {units}); queda en el acta. Atención: sin sus unidades la asamblea ya no tiene quórum.',
    en: 'Departure recorded at {time} (unit {units}); it goes in the minutes. Note: without your units the assembly no longer has a quorum.',
  },
  leaveNotPresent: {
    es: 'No figura como presente en ninguna asamblea en curso: no hay salida que registrar.',
    en: 'You are not listed as present at any assembly in progress: there is no departure to record.',
  },
  checkInNone: {
    es: 'No hay una asamblea abierta a la asistencia en este momento.',
    en: 'No assembly is taking attendance right now.',
  },
  checkInRefused: { es: 'No se pudo registrar la asistencia: {reason}', en: 'Could not check in: {reason}' },
  checkInRemoteNotAllowed: {
    es: 'esta asamblea es solo presencial.',
    en: 'this meeting is in person only.',
  },
  alreadyPresent: { es: 'ya estaba registrada.', en: 'it was already recorded.' },
  llmUnavailable: {
    es: 'No puedo responder preguntas abiertas ahora. {help}',
    en: 'I cannot answer open questions right now. {help}',
  },
  notifyConvened: {
    es: '📣 {ph}: se convocó la asamblea «{title}» para el {date}.{place} Escriba «agenda» para ver el orden del día.',
    en: '📣 {ph}: the assembly “{title}” has been called for {date}.{place} Write “agenda” to see the agenda.',
  },
  notifyPlace: { es: ' Lugar: {place}.', en: ' Place: {place}.' },
  notifyStarted: {
    es: '▶️ {ph}: comenzó la asamblea «{title}». Si asiste a distancia, registre su asistencia con «asistencia».',
    en: '▶️ {ph}: the assembly “{title}” has started. If you attend remotely, check in with “check in”.',
  },
  notifyVoteReminder: {
    es: '⏰ {ph}: la votación «{title}» sigue abierta y la unidad {units} todavía no ha votado. Pulse «Votar» o escriba «votar».',
    en: '⏰ {ph}: the vote “{title}” is still open and unit {units} has not voted yet. Press “Vote” or write “vote”.',
  },
  notifyMotionOpened: {
    es: '🗳️ {ph}: se abrió la votación «{title}». Pulse «Votar» o escriba «votar».',
    en: '🗳️ {ph}: the vote “{title}” is open. Press “Vote” or write “vote”.',
  },
  optionsButton: { es: 'Opciones', en: 'Options' },
  status_draft: { es: 'borrador', en: 'draft' },
  status_convened: { es: 'convocada', en: 'called' },
  status_in_progress: { es: 'en curso', en: 'in session' },
  status_suspended: { es: 'suspendida', en: 'suspended' },
  status_closed: { es: 'cerrada', en: 'closed' },
  status_cancelled: { es: 'cancelada', en: 'cancelled' },
  motion_draft: { es: 'pendiente', en: 'pending' },
  motion_open: { es: 'abierta', en: 'open' },
  motion_closed: { es: 'cerrada', en: 'closed' },
} satisfies Record<string, Record<Lang, string>>

export type MessageKey = keyof typeof messages

export type Params = Record<string, string | number>

/** The message in `lang` with its {placeholders} filled; {help} and {helpPublic} expand to those texts. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return messages[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (name in params) return String(params[name])
    if (name === 'help' || name === 'helpPublic') return messages[name][lang]
    return whole
  })
}

/** The keys, for the test that proves both languages carry the same placeholders. */
export function messageKeys(): MessageKey[] {
  return Object.keys(messages) as MessageKey[]
}

/** The raw template, for tests. */
export function template(lang: Lang, key: MessageKey): string {
  return messages[key][lang]
}

/** Unit numbers as people read them: "1A", "1A y 2B", "1A, 2B y 3C". */
export function listUnits(lang: Lang, numbers: readonly string[]): string {
  if (numbers.length <= 1) return numbers[0] ?? ''
  const and = lang === 'es' ? 'y' : 'and'
  return `${numbers.slice(0, -1).join(', ')} ${and} ${numbers.at(-1)}`
}

/** A date and time in the PH's time zone, e.g. "14 mar 2026, 10:00". */
export function formatDateTime(lang: Lang, date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-PA' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(date)
}
