import { formatCoefficient, parseCoefficient } from '../decimal.ts'

/** Languages the acta can be written in. */
export type ActaLanguage = 'es' | 'en'

const es = {
  title: (number: number, extraordinary: boolean) =>
    `Acta N.º ${number} de la Asamblea ${extraordinary ? 'Extraordinaria' : 'Ordinaria'} de Propietarios`,
  sections: {
    meeting: '1. Datos de la reunión y convocatoria',
    attendees: '2. Propietarios y apoderados presentes',
    quorum: '3. Quórum',
    officers: '4. Presidente y secretario',
    agenda: '5. Asuntos tratados',
    proposals: '6. Propuestas y votaciones',
    times: '7. Horario de la reunión',
    signatures: '8. Firmas',
    annex: 'Anexo: cifras exactas',
  },
  fields: {
    phName: 'Propiedad horizontal',
    legalName: 'Razón social',
    registryNumber: 'Inscripción',
    taxId: 'RUC',
    address: 'Dirección',
    actaType: 'Tipo de reunión',
    meetingTitle: 'Reunión',
    modality: 'Modalidad',
    location: 'Lugar',
    meetingUrl: 'Medio tecnológico',
    firstCallAt: 'Primera convocatoria',
    secondCallAt: 'Segunda convocatoria',
    call: 'Celebrada en',
    convenedBy: 'Convocada por',
    callText: 'Transcripción de la convocatoria',
    inPersonUnits: 'Unidades presentes en persona',
    remoteUnits: 'Unidades presentes a distancia',
    attendedUnits: 'Unidades que asistieron',
    totalUnits: 'Total de unidades',
    eligibleUnits: 'Unidades habilitadas para votar',
    owners: 'Propietarios asistentes (de todos los propietarios)',
    arrears: 'Unidades morosas (no al día)',
    quorumRule: 'Regla de quórum',
    ruleSource: 'Fuente de la regla',
    established: 'Quórum establecido',
    president: 'Presidente',
    secretary: 'Secretario',
    election: 'Forma de elección',
    ballot: 'Forma de votación',
    outcome: 'Resultado',
    majority: 'Mayoría',
    cast: 'Votaron',
    abstained: 'Abstenciones',
    present: 'Presentes',
    eligible: 'Electorado',
    notVoted: 'No votaron',
    snapshot: 'Constancia del resultado',
    startedAt: 'Inicio',
    endedAt: 'Cierre',
    description: 'Descripción',
    agendaItem: 'Punto del orden del día',
    count: 'Cómputo',
  },
  columns: {
    unit: 'Unidad',
    finca: 'Finca',
    coefficient: 'Coeficiente (%)',
    owners: 'Propietario(s)',
    attendee: 'Asistente',
    capacity: 'Calidad',
    mode: 'Asistencia',
    checkedIn: 'Registro',
    time: 'Hora',
    call: 'Convocatoria',
    presentUnits: 'Unidades presentes',
    presentOwners: 'Propietarios presentes',
    presentCoefficient: 'Coeficiente presente (%)',
    totalCoefficient: 'Coeficiente total (%)',
    reached: 'Quórum',
    option: 'Opción',
    units: 'Unidades',
    event: 'Evento',
    note: 'Nota',
  },
  kind: { ordinary: 'Ordinaria', extraordinary: 'Extraordinaria' },
  modality: {
    in_person: 'Presencial',
    remote: 'Por medios tecnológicos',
    mixed: 'Mixta (presencial y a distancia)',
  },
  mode: { in_person: 'En persona', remote: 'A distancia' },
  capacity: { owner: 'Propietario', proxy: 'Apoderado' },
  call: { first: 'primera convocatoria', second: 'segunda convocatoria' },
  ballot: { secret: 'Votación secreta', named: 'Votación nominal' },
  outcome: {
    approved: 'Aprobada',
    rejected: 'Rechazada',
    tie: 'Empate (no aprobada)',
    no_votes: 'Sin votos',
  },
  notVotedStatus: { draft: 'No sometida a votación', open: 'Votación no cerrada', closed: 'Cerrada' },
  events: {
    convened: 'Convocatoria',
    started: 'Inicio',
    suspended: 'Suspensión',
    resumed: 'Reanudación',
    ended: 'Cierre',
    closed: 'Cierre',
    cancelled: 'Cancelación',
    call_changed: 'Cambio de convocatoria',
    second_call: 'Paso a segunda convocatoria',
  } as Record<string, string>,
  yes: 'Sí',
  no: 'No',
  reached: 'alcanzado',
  notReached: 'no alcanzado',
  none: 'No consta',
  withheld: 'reservado (voto secreto)',
  noAttendees: 'No se registraron asistentes.',
  noProposals: 'No se sometieron propuestas a votación.',
  noEvents: 'No se registraron suspensiones ni reanudaciones.',
  otherProposals: 'Otras propuestas',
  winner: 'Opción ganadora',
  signature: 'Firma',
  generatedAt: 'Documento generado el',
  discussion: 'Resumen de la discusión',
  noticeSentAt: 'Enviada el',
  noDiscussion: 'Sin resumen de la discusión.',
  nominal: 'Votación nominal: cómo votó cada unidad',
  nominalNone: 'Ninguna unidad votó.',
  abstention: 'Abstención',
  quorumLost: 'Constancia',
  quorumLostText:
    'El quórum se perdió mientras la votación estaba abierta; el resultado se registra con esta salvedad.',
  annexIntro:
    'En el cuerpo del acta los porcentajes se muestran con dos decimales; aquí constan con todos sus decimales.',
  annexSecret: 'Votación secreta: solo se publican cifras redondeadas.',
  annexQuorum: 'Quórum en el tiempo',
  annexMajority: 'Mayoría calculada',
  status: { draft: 'BORRADOR', reviewed: 'REVISADA, PENDIENTE DE FIRMAS', final: 'ACTA FINAL' } as Record<
    string,
    string
  >,
  signedBy: 'Firmada electrónicamente por',
  actaHash: 'Huella SHA-256 del acta',
  majority: {
    units: 'unidades',
    coefficient: 'del coeficiente',
    cast: 'de los votos emitidos',
    castNoAbstentions: 'de los votos emitidos, sin contar abstenciones',
    present: 'de las unidades presentes',
    eligibleAll: 'del total de unidades',
    eligibleUpToDate: 'de las unidades al día',
    upToDateOnly: 'solo cuentan las unidades al día',
    relative: 'mayoría relativa (más que cualquier otra opción)',
    moreThan: 'más de',
    atLeast: 'al menos',
    of: 'de',
    required: 'se requiere',
    byUnits: 'por número de unidades',
    byCoefficient: 'por coeficiente',
    firstCall: 'en primera convocatoria',
    secondCall: 'en segunda convocatoria',
    noSecondCall: 'sin segunda convocatoria',
    both: 'por coeficiente y por unidades',
    byOwners: 'por número de propietarios (uno por propietario, los copropietarios de una unidad como uno)',
  },
  arrears: {
    voice_no_vote: 'voz pero no voto: no votan ni cuentan para el quórum',
    full_vote: 'votan y cuentan como las demás',
  } as Record<string, string>,
}

export type ActaDictionary = typeof es

const en: ActaDictionary = {
  title: (number, extraordinary) =>
    `Minutes No. ${number} of the ${extraordinary ? 'Extraordinary' : 'Ordinary'} Owners' Assembly`,
  sections: {
    meeting: '1. Meeting and call',
    attendees: '2. Owners and proxies present',
    quorum: '3. Quorum',
    officers: '4. Chair and secretary',
    agenda: '5. Matters discussed',
    proposals: '6. Proposals and votes',
    times: '7. Meeting times',
    signatures: '8. Signatures',
    annex: 'Annex: exact figures',
  },
  fields: {
    phName: 'Condominium (PH)',
    legalName: 'Legal name',
    registryNumber: 'Registry entry',
    taxId: 'Tax id (RUC)',
    address: 'Address',
    actaType: 'Type of meeting',
    meetingTitle: 'Meeting',
    modality: 'Modality',
    location: 'Place',
    meetingUrl: 'Technological medium',
    firstCallAt: 'First call',
    secondCallAt: 'Second call',
    call: 'Held at',
    convenedBy: 'Convened by',
    callText: 'Transcription of the call',
    inPersonUnits: 'Units present in person',
    remoteUnits: 'Units present remotely',
    attendedUnits: 'Units that attended',
    totalUnits: 'Total units',
    eligibleUnits: 'Units entitled to vote',
    owners: 'Owners who attended (of all owners)',
    arrears: 'Units in arrears (not up to date)',
    quorumRule: 'Quorum rule',
    ruleSource: 'Source of the rule',
    established: 'Quorum established',
    president: 'Chair',
    secretary: 'Secretary',
    election: 'How they were chosen',
    ballot: 'Ballot',
    outcome: 'Outcome',
    majority: 'Majority',
    cast: 'Voted',
    abstained: 'Abstentions',
    present: 'Present',
    eligible: 'Electorate',
    notVoted: 'Did not vote',
    snapshot: 'Result record',
    startedAt: 'Start',
    endedAt: 'End',
    description: 'Description',
    agendaItem: 'Agenda item',
    count: 'Count',
  },
  columns: {
    unit: 'Unit',
    finca: 'Finca',
    coefficient: 'Coefficient (%)',
    owners: 'Owner(s)',
    attendee: 'Attendee',
    capacity: 'Capacity',
    mode: 'Attendance',
    checkedIn: 'Checked in',
    time: 'Time',
    call: 'Call',
    presentUnits: 'Units present',
    presentOwners: 'Owners present',
    presentCoefficient: 'Coefficient present (%)',
    totalCoefficient: 'Total coefficient (%)',
    reached: 'Quorum',
    option: 'Option',
    units: 'Units',
    event: 'Event',
    note: 'Note',
  },
  kind: { ordinary: 'Ordinary', extraordinary: 'Extraordinary' },
  modality: {
    in_person: 'In person',
    remote: 'By technological means',
    mixed: 'Mixed (in person and remote)',
  },
  mode: { in_person: 'In person', remote: 'Remote' },
  capacity: { owner: 'Owner', proxy: 'Proxy holder' },
  call: { first: 'first call', second: 'second call' },
  ballot: { secret: 'Secret ballot', named: 'Named (roll-call) vote' },
  outcome: { approved: 'Approved', rejected: 'Rejected', tie: 'Tie (not approved)', no_votes: 'No votes' },
  notVotedStatus: { draft: 'Not put to a vote', open: 'Vote not closed', closed: 'Closed' },
  events: {
    convened: 'Convened',
    started: 'Start',
    suspended: 'Suspension',
    resumed: 'Restart',
    ended: 'End',
    closed: 'End',
    cancelled: 'Cancellation',
    call_changed: 'Change of call',
    second_call: 'Moved to second call',
  },
  yes: 'Yes',
  no: 'No',
  reached: 'reached',
  notReached: 'not reached',
  none: 'Not recorded',
  withheld: 'withheld (secret ballot)',
  noAttendees: 'No attendance was recorded.',
  noProposals: 'No proposals were put to a vote.',
  noEvents: 'No suspensions or restarts were recorded.',
  otherProposals: 'Other proposals',
  winner: 'Winning option',
  signature: 'Signature',
  generatedAt: 'Document generated on',
  discussion: 'Discussion summary',
  noticeSentAt: 'Sent on',
  noDiscussion: 'No discussion summary.',
  nominal: 'Named vote: how each unit voted',
  nominalNone: 'No unit voted.',
  abstention: 'Abstention',
  quorumLost: 'Note',
  quorumLostText: 'Quorum was lost while the vote was open; the result is recorded with this reservation.',
  annexIntro: 'The body of the minutes shows percentages with two decimals; here they appear in full.',
  annexSecret: 'Secret ballot: only rounded figures are published.',
  annexQuorum: 'Quorum over time',
  annexMajority: 'Majority computed',
  status: { draft: 'DRAFT', reviewed: 'REVIEWED, AWAITING SIGNATURES', final: 'FINAL MINUTES' },
  signedBy: 'Signed electronically by',
  actaHash: 'SHA-256 fingerprint of the minutes',
  majority: {
    units: 'units',
    coefficient: 'of the coefficient',
    cast: 'of the votes cast',
    castNoAbstentions: 'of the votes cast, abstentions excluded',
    present: 'of the units present',
    eligibleAll: 'of all units',
    eligibleUpToDate: 'of the up-to-date units',
    upToDateOnly: 'only up-to-date units count',
    relative: 'relative majority (more than any other option)',
    moreThan: 'more than',
    atLeast: 'at least',
    of: 'of',
    required: 'required',
    byUnits: 'by number of units',
    byCoefficient: 'by coefficient',
    firstCall: 'at first call',
    secondCall: 'at second call',
    noSecondCall: 'no second call',
    both: 'by coefficient and by units',
    byOwners: "by number of owners (one per owner, a unit's co-owners as one)",
  },
  arrears: {
    voice_no_vote: 'voice but no vote: they neither vote nor count for quorum',
    full_vote: 'they vote and count like any other unit',
  },
}

const dictionaries: Record<ActaLanguage, ActaDictionary> = { es, en }

/** The dictionary of a language; Spanish for anything else, as the law writes the acta in Spanish. */
export function dictionaryFor(language: string | undefined): ActaDictionary {
  return dictionaries[language as ActaLanguage] ?? es
}

/** 'es' or 'en' from any language tag, defaulting to Spanish. */
export function actaLanguage(language: string | undefined): ActaLanguage {
  return language?.toLowerCase().startsWith('en') ? 'en' : 'es'
}

/** The PH's locale when it matches the language, else a sensible one for that language. */
export function localeFor(language: ActaLanguage, phLocale: string): string {
  return phLocale.toLowerCase().startsWith(language) ? phLocale : language === 'en' ? 'en-US' : 'es-PA'
}

/** A date and time in the PH's time zone and locale, e.g. '14 de marzo de 2026, 9:00 a. m.'. */
export function formatDateTime(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date)
}

/** Only the time, for tables within one day. */
export function formatTime(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(date)
}

/** A percent with 9 decimals shown without trailing zeros beyond two: '45.000000000' → '45.00'. */
/** A percent rounded to two decimals (half away from zero) for the body of the acta. */
export function formatPercentShort(value: string): string {
  const [whole = '0', fraction = ''] = value.split('.')
  return formatCoefficient(parseCoefficient(`${whole}.${fraction.slice(0, 9) || '0'}`), 2)
}

/** A percent with every significant decimal (at least two), for the annex of exact figures. */
export function formatPercent(value: string): string {
  const [whole, fraction = ''] = value.split('.')
  const trimmed = fraction.replace(/0+$/, '').padEnd(2, '0')
  return `${whole}.${trimmed}`
}
