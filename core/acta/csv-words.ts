/*
 * The words of the CSV exports: headers and the values a person reads (capacity, mode, channel), in the
 * interface language. Spanish first; the file name prefix too (votaciones-… / votes-…).
 */

export type CsvLanguage = 'es' | 'en'

export const csvWords = {
  es: {
    attendanceFile: 'asistencia',
    votesFile: 'votaciones',
    attendance: {
      unit: 'Unidad',
      finca: 'Finca',
      coefficient: 'Coeficiente (%)',
      owners: 'Propietarios',
      attendee: 'Asistente',
      capacity: 'Calidad',
      mode: 'Modalidad',
      checkedIn: (zone: string) => `Entrada (${zone})`,
      checkedOut: (zone: string) => `Salida (${zone})`,
    },
    votes: {
      unit: 'Unidad',
      finca: 'Finca',
      weight: 'Coeficiente (%)',
      upToDate: 'Al día',
      options: 'Claves',
      labels: 'Opciones elegidas',
      votedAs: 'Votó como',
      channel: 'Canal',
      revision: 'Revisión',
      castAt: (zone: string) => `Hora del voto (${zone})`,
      receipt: 'Hash del recibo',
      recordedBy: 'Registrado por',
      deskKind: 'Tipo de registro en mesa',
      deskReason: 'Motivo',
    },
    secret: {
      record: 'Registro',
      key: 'Clave',
      label: 'Opción',
      units: 'Unidades',
      coefficient: 'Coeficiente (%)',
      elected: 'Resultado',
      receipt: 'Hash del recibo',
    },
    records: { option: 'opción', total: 'total', receipt: 'recibo' },
    totals: {
      cast: 'Votaron',
      abstained: 'Abstenciones',
      notVoted: 'No votaron',
      present: 'Presentes',
      eligible: 'Con derecho a voto',
    },
    capacity: { owner: 'Propietario', proxy: 'Apoderado' } as Record<string, string>,
    mode: { in_person: 'Presencial', remote: 'Remota' } as Record<string, string>,
    channel: {
      web: 'Web',
      websocket: 'Web (tiempo real)',
      api: 'API',
      desk: 'Mesa',
      telegram: 'Telegram',
      whatsapp: 'WhatsApp',
      webchat: 'Chat web',
    } as Record<string, string>,
    deskKind: { desk: 'Mesa', paper: 'Papeleta', show_of_hands: 'Mano alzada' } as Record<string, string>,
    yes: 'Sí',
    no: 'No',
    elected: { true: 'Electo/a', false: 'No electo/a', tie: 'Empate' },
  },
  en: {
    attendanceFile: 'attendance',
    votesFile: 'votes',
    attendance: {
      unit: 'Unit',
      finca: 'Finca',
      coefficient: 'Coefficient (%)',
      owners: 'Owners',
      attendee: 'Attendee',
      capacity: 'Capacity',
      mode: 'Mode',
      checkedIn: (zone: string) => `Checked in (${zone})`,
      checkedOut: (zone: string) => `Checked out (${zone})`,
    },
    votes: {
      unit: 'Unit',
      finca: 'Finca',
      weight: 'Coefficient (%)',
      upToDate: 'Up to date',
      options: 'Keys',
      labels: 'Options chosen',
      votedAs: 'Voted as',
      channel: 'Channel',
      revision: 'Revision',
      castAt: (zone: string) => `Cast at (${zone})`,
      receipt: 'Receipt hash',
      recordedBy: 'Recorded by',
      deskKind: 'Desk record',
      deskReason: 'Reason',
    },
    secret: {
      record: 'Record',
      key: 'Key',
      label: 'Option',
      units: 'Units',
      coefficient: 'Coefficient (%)',
      elected: 'Result',
      receipt: 'Receipt hash',
    },
    records: { option: 'option', total: 'total', receipt: 'receipt' },
    totals: {
      cast: 'Voted',
      abstained: 'Abstained',
      notVoted: 'Did not vote',
      present: 'Present',
      eligible: 'Entitled to vote',
    },
    capacity: { owner: 'Owner', proxy: 'Proxy holder' } as Record<string, string>,
    mode: { in_person: 'In person', remote: 'Remote' } as Record<string, string>,
    channel: {
      web: 'Web',
      websocket: 'Web (live)',
      api: 'API',
      desk: 'Desk',
      telegram: 'Telegram',
      whatsapp: 'WhatsApp',
      webchat: 'Web chat',
    } as Record<string, string>,
    deskKind: { desk: 'Desk', paper: 'Paper ballot', show_of_hands: 'Show of hands' } as Record<
      string,
      string
    >,
    yes: 'Yes',
    no: 'No',
    elected: { true: 'Elected', false: 'Not elected', tie: 'Tie' },
  },
} as const

/** A moment as `yyyy-mm-dd HH:MM:SS` in the PH's time zone (24 h, sortable, spreadsheet-friendly). */
export function formatCsvTime(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`
}

/** The calendar date of a moment in the PH's time zone, `yyyy-mm-dd`. */
export function formatCsvDate(date: Date, timeZone: string): string {
  return formatCsvTime(date, timeZone).slice(0, 10)
}
