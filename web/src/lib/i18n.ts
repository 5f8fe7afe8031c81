/** Spanish first, English on request; the choice is remembered on the device. */

export type Lang = 'es' | 'en'
export type Vars = Record<string, string | number>
export type Translate<K extends string> = (key: K, vars?: Vars) => string

const STORAGE_KEY = 'assembly.lang'
const listeners = new Set<() => void>()

export function currentLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'es'
  } catch {
    return 'es'
  }
}

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // Private mode: the switch still works for this page view.
  }
  document.documentElement.lang = lang
  for (const listener of listeners) listener()
}

/** Runs `listener` after every language switch (pages redraw with it). */
export function onLangChange(listener: () => void): void {
  listeners.add(listener)
}

/** A message table in both languages; English must have exactly the Spanish keys. */
export interface Messages<K extends string> {
  es: Record<K, string>
  en: Record<K, string>
}

export function defineMessages<const T extends Record<string, string>>(
  es: T,
  en: { [K in keyof T]: string },
): Messages<keyof T & string> {
  return { es, en }
}

/** A translator over one or more tables, reading the current language at each call. */
export function translator<K extends string>(...tables: Messages<string>[]): Translate<K> {
  return (key, vars) => {
    const lang = currentLang()
    let text: string | undefined
    for (const table of tables) {
      text = table[lang][key] ?? text
    }
    text ??= key
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole)) : text
  }
}
