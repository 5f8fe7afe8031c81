import { describe, expect, it } from 'bun:test'
import { describeSource, listPresets, majorityPresetInfo, quorumPresetInfo } from './preset-catalog.ts'
import { applyArrearsSetting, getMajorityPreset, majorityPresets, quorumPresets } from './presets.ts'

describe('the preset catalog', () => {
  it('names every offered preset in Spanish and English, with its source and the confirmation note', () => {
    const { quorum, majority } = listPresets()
    expect(quorum.map((info) => info.code).sort()).toEqual(Object.keys(quorumPresets).sort())
    expect(majority.map((info) => info.code).sort()).toEqual(Object.keys(majorityPresets).sort())
    for (const info of [...quorum, ...majority]) {
      expect(info.label.es.length).toBeGreaterThan(10)
      expect(info.label.en.length).toBeGreaterThan(10)
      if (info.code.includes('-')) expect(info.label.es).not.toContain(info.code)
      // No figure here comes from the law's own text (it could not be read), so every one asks to confirm.
      expect(info.source.kind).not.toBe('text')
      expect(info.note?.es).toContain('reglamento de copropiedad')
      expect(info.note?.en).toContain('reglamento de copropiedad')
    }
  })

  it.each([
    [
      'ley284-art35-first-call',
      'Cuotas extraordinarias o cambio de cuotas, 1.ª convocatoria (Ley 284, art. 35): 51 % de todas las unidades al día',
      'secondary',
      'Ley 284, art. 35',
    ],
    ['absolute', 'Más de la mitad del coeficiente presente', 'bylaws', null],
    ['fifty-one-present', '51 % del coeficiente presente', 'bylaws', null],
  ])('%s reads "%s" (%s, %p)', (code, es, kind, article) => {
    const info = majorityPresetInfo(code)
    expect([info?.label.es, info?.source.kind, info?.source.article]).toEqual([es, kind, article])
  })

  it('marks the Ley 284 owners reading as secondary and its second call as the by-laws choice', () => {
    const info = quorumPresetInfo('ley284-owners-new-call')
    expect(info?.label.es).toBe(
      'Ley 284 (lectura de fuente secundaria): más de la mitad de los propietarios; 2.ª convocatoria: nueva convocatoria',
    )
    expect(describeSource(info!.source, 'es')).toBe('fuente secundaria: Ley 284')
  })

  it('still names the earlier presets stored with old assemblies, without offering them', () => {
    const info = quorumPresetInfo('ley284-ordinary')
    expect(info?.offered).toBe(false)
    expect(info?.label.es).toContain('30 % en 2.ª convocatoria')
    expect(info?.note?.es).toContain('sin fuente')
    expect(quorumPresetInfo('nope')).toBeNull()
    expect(quorumPresetInfo(undefined)).toBeNull()
  })
})

describe('the arrears setting', () => {
  const simple = getMajorityPreset('simple')!
  it.each([
    ['voice_no_vote', simple, true],
    ['full_vote', simple, false],
    ['voice_no_vote', { ...simple, countArrears: true }, false],
    ['full_vote', getMajorityPreset('ley284-art35-first-call')!, true],
  ] as const)('%s on %p: eligible only %p', (setting, rule, eligibleOnly) => {
    expect(applyArrearsSetting(rule, setting).eligibleOnly).toBe(eligibleOnly)
  })
})
