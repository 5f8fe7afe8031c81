import { HUNDRED, type ModelUnit, SCALE } from './model.ts'

/*
 * The recomputation's PH: 60 units with 7-decimal coefficients that sum to exactly 100 %, drawn from a
 * fixed seed so a failure replays. Units 10 and 11 have the same single owner (one head); 02 and 03 are
 * co-owned; five units are in arrears.
 */

export const ARREARS = ['05', '13', '22', '37', '49'].map((n) => `U${n}`)
export const SAME_OWNER = ['U10', 'U11']
export const CO_OWNED: Record<string, string> = {
  U02: 'Carmen Copropietaria <carmen.co@example.com>',
  U03: 'Ramiro Copropietario <ramiro.co@example.com>',
}

/** A small deterministic generator (LCG) so the coefficients are irregular but the same every run. */
function* seeded(seed: number): Generator<number> {
  let state = seed
  for (;;) {
    state = (state * 1103515245 + 12345) % 2147483648
    yield state
  }
}

export function buildRoster(): ModelUnit[] {
  const random = seeded(20260314)
  const numbers = Array.from({ length: 60 }, (_, i) => `U${String(i + 1).padStart(2, '0')}`)
  const weights = numbers.map(() => BigInt(100 + (random.next().value! % 2000)))
  const total = weights.reduce((sum, weight) => sum + weight, 0n)
  const coefficients = weights.map((weight) => (weight * HUNDRED) / total)
  // The remainder of the floor division goes one 10⁻⁷ % at a time to the first units.
  let remainder = HUNDRED - coefficients.reduce((sum, value) => sum + value, 0n)
  for (let i = 0; remainder > 0n; i++, remainder--) coefficients[i] = coefficients[i]! + 1n
  return numbers.map((number, i) => ({
    number,
    coefficient: coefficients[i]!,
    upToDate: !ARREARS.includes(number),
    owners: SAME_OWNER.includes(number) ? 'olga' : number,
  }))
}

const seven = (value: bigint) => `${value / SCALE}.${(value % SCALE).toString().padStart(7, '0')}`

/** The roster as the CSV the administration would upload (';' separated, decimal points). */
export function rosterCsv(roster: readonly ModelUnit[]): string {
  const lines = roster.map((unit) => {
    const olga = SAME_OWNER.includes(unit.number)
    const name = olga ? 'Olga Varias' : `Propietario ${unit.number}`
    const email = olga ? 'olga@example.com' : `${unit.number.toLowerCase()}@example.com`
    const upToDate = unit.upToDate ? 'sí' : 'no'
    return [
      unit.number,
      `F-${unit.number}`,
      seven(unit.coefficient),
      name,
      email,
      '',
      upToDate,
      CO_OWNED[unit.number] ?? '',
    ].join(';')
  })
  return ['unidad;finca;coeficiente;propietario;email;telefono;al_dia;copropietarios', ...lines].join('\n')
}
