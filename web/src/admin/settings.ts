import { get, patch, post } from '../lib/api.ts'
import { h, replace } from '../lib/dom.ts'
import { setPlace } from '../lib/format.ts'
import { checkboxField, onSubmit, selectField, textField } from '../lib/forms.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'
import { noticeSettingsSection } from './notice-settings.ts'
import type { Organization } from './types.ts'

interface Member {
  id: string
  email: string
  role: 'ph_admin' | 'checkin_staff' | 'auditor'
}

const orNull = (value: string) => (value === '' ? null : value)

/** PH details (name, legal data, time zone, locale, language) and who has staff access. */
export async function renderSettings(ctx: AdminContext, container: HTMLElement): Promise<void> {
  const notices = createNotices()
  const [organization, members] = await Promise.all([
    get<Organization>(ctx.base),
    get<{ members: Member[] }>(`${ctx.base}/members`).catch(() => ({ members: [] as Member[] })),
  ])
  const settingsForm = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const text = (name: string) => String(data.get(name) ?? '').trim()
        try {
          const saved = await patch<Organization>(ctx.base, {
            name: text('name'),
            legalName: orNull(text('legalName')),
            taxId: orNull(text('taxId')),
            registryNumber: orNull(text('registryNumber')),
            address: orNull(text('address')),
            timeZone: text('timeZone'),
            locale: text('locale'),
            language: text('language'),
            ownerProxiesNeedApproval: data.get('ownerProxiesNeedApproval') === 'on',
            ownerProxyDeadlineHours: Number(text('ownerProxyDeadlineHours') || '0'),
          })
          setPlace({ locale: saved.locale, timeZone: saved.timeZone })
          notices.ok(t('saved'))
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    textField({ name: 'name', label: t('name'), value: organization.name, required: true }),
    textField({ name: 'legalName', label: t('legalName'), value: organization.legalName }),
    textField({ name: 'taxId', label: t('taxId'), value: organization.taxId }),
    textField({ name: 'registryNumber', label: t('registryNumber'), value: organization.registryNumber }),
    textField({ name: 'address', label: t('address'), value: organization.address }),
    textField({
      name: 'timeZone',
      label: t('timeZone'),
      hint: t('timeZoneHint'),
      value: organization.timeZone,
    }),
    textField({ name: 'locale', label: t('locale'), hint: t('localeHint'), value: organization.locale }),
    selectField({
      name: 'language',
      label: t('language'),
      value: organization.language,
      options: [
        { value: 'es', label: t('spanish') },
        { value: 'en', label: t('english') },
      ],
    }),
    checkboxField({
      name: 'ownerProxiesNeedApproval',
      label: t('ownerProxiesNeedApproval'),
      checked: organization.ownerProxiesNeedApproval,
    }),
    textField({
      name: 'ownerProxyDeadlineHours',
      label: t('ownerProxyDeadlineHours'),
      hint: t('ownerProxyDeadlineHint'),
      type: 'number',
      value: String(organization.ownerProxyDeadlineHours),
      props: { min: '0', max: '720', step: '1', inputmode: 'numeric' },
    }),
    h('button', { type: 'submit', class: 'primary' }, t('save')),
  )
  const roleText = (role: string) =>
    role === 'ph_admin' ? t('roleAdmin') : role === 'auditor' ? t('roleAuditor') : t('roleStaff')
  const memberForm = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const email = String(data.get('email') ?? '').trim()
        try {
          await post(`${ctx.base}/members`, { email, role: String(data.get('role')) })
          notices.ok(t('granted', { email }))
          await renderSettings(ctx, container)
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    textField({ name: 'email', label: t('memberEmail'), type: 'email', required: true }),
    selectField({
      name: 'role',
      label: t('memberRole'),
      options: [
        { value: 'checkin_staff', label: t('roleStaff') },
        { value: 'auditor', label: t('roleAuditor') },
        { value: 'ph_admin', label: t('roleAdmin') },
      ],
    }),
    h('button', { type: 'submit' }, t('grant')),
  )
  const noticeSettings = await noticeSettingsSection(ctx)
  replace(
    container,
    notices.element,
    section('settings-title', t('settingsTitle'), settingsForm),
    noticeSettings,
    section(
      'members-title',
      t('membersTitle'),
      h(
        'ul',
        { class: 'plain-list' },
        members.members.map((member) => h('li', null, `${member.email} · ${roleText(member.role)}`)),
      ),
      memberForm,
    ),
  )
}
