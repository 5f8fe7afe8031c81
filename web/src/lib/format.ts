import { currentLang } from './i18n.ts'

/** Where the PH is: its locale (es-PA) and time zone (America/Panama) drive every date and number. */
export interface PlaceSettings {
  locale: string
  timeZone: string
}

let place: PlaceSettings = { locale: 'es-PA', timeZone: 'America/Panama' }

export function setPlace(next: Partial<PlaceSettings>): void {
  place = { locale: next.locale || place.locale, timeZone: next.timeZone || place.timeZone }
}

/** The PH's locale in the reader's language: es-PA stays, English becomes en-PA. */
export function locale(): string {
  const region = place.locale.split('-')[1]
  if (currentLang() === 'es')
    return place.locale.startsWith('es') ? place.locale : `es${region ? `-${region}` : ''}`
  return `en${region ? `-${region}` : ''}`
}

export function formatDateTime(iso: string | Date | null | undefined): string {
  if (!iso) return ''
  const date = typeof iso === 'string' ? new Date(iso) : iso
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: place.timeZone,
  }).format(date)
}

export function formatTime(iso: string | Date | null | undefined): string {
  if (!iso) return ''
  const date = typeof iso === 'string' ? new Date(iso) : iso
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short', timeZone: place.timeZone }).format(date)
}

export function formatInteger(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(value)
}

/**
 * A percentage given as exact decimal text ('33.333333333'), shown with `digits` decimals.
 * Display only: the server decides with exact arithmetic.
 */
export function formatPercent(text: string | number, digits = 2): string {
  const value = typeof text === 'number' ? text : Number(text)
  const number = new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Number.isFinite(value) ? value : 0)
  return `${number} %`
}

/** A threshold fraction as a percentage (1/2 → 50 %), or null. */
export function thresholdPercent(
  threshold: { numerator: number; denominator: number } | null | undefined,
): number | null {
  if (!threshold || threshold.denominator === 0) return null
  return (threshold.numerator / threshold.denominator) * 100
}

/** The wall-clock fields (year … second, zero-padded) of an instant in the PH's time zone. */
function wallClock(date: Date): (type: Intl.DateTimeFormatPartTypes) => string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: place.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date)
  return (type) => parts.find((part) => part.type === type)?.value ?? '00'
}

/** datetime-local input value (PH time zone) → ISO instant. */
export function localInputToIso(value: string): string | null {
  if (!value) return null
  // Find the offset of the PH's zone at that wall-clock time (two passes handle DST edges).
  const guess = new Date(`${value}:00Z`)
  const offsetAt = (date: Date) => {
    const get = (type: Intl.DateTimeFormatPartTypes) => Number(wallClock(date)(type))
    const asUtc = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    )
    return asUtc - date.getTime()
  }
  let instant = guess.getTime() - offsetAt(guess)
  instant = guess.getTime() - offsetAt(new Date(instant))
  return new Date(instant).toISOString()
}

/** ISO instant → datetime-local input value in the PH's time zone ('' for none). */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return ''
  const part = wallClock(new Date(iso))
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`
}

/** The names of an election's elected candidates and of those tied for the last seat, in its order. */
export function electionNames(
  candidates: readonly { key: string; elected: boolean | 'tie' }[],
  label: (key: string) => string,
): { elected: string[]; tied: string[] } {
  const names = (elected: boolean | 'tie') =>
    candidates.filter((c) => c.elected === elected).map((c) => label(c.key))
  return { elected: names(true), tied: names('tie') }
}

/** "A, B and C", with the page's word for "and". */
export function joinNames(list: readonly string[], and: string): string {
  return list.length < 2 ? list.join('') : `${list.slice(0, -1).join(', ')} ${and} ${list.at(-1)}`
}
