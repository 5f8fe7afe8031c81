import type { MailMessage } from '../auth/mailer.ts'

/*
 * The email a new PH administrator receives when a platform administrator creates the PH: where to
 * sign in (by email code, no password), in Spanish first and English after, as every message.
 */

export interface AdminInvitation {
  to: string
  organizationId: string
  organizationName: string
  /** PUBLIC_URL of the installation, e.g. https://asambleas.example.com */
  publicUrl: string
}

export function adminInvitationMessage(invitation: AdminInvitation): MailMessage {
  const next = `/admin?organization=${encodeURIComponent(invitation.organizationId)}`
  const link = `${invitation.publicUrl.replace(/\/+$/, '')}/sign-in?next=${encodeURIComponent(next)}`
  const name = invitation.organizationName
  return {
    to: invitation.to,
    subject: `Administración de ${name} en Assembly 2.0 / You administer ${name}`,
    text: [
      `Hola:`,
      ``,
      `Le dieron acceso como administrador de ${name} en Assembly 2.0, la plataforma de asambleas del PH.`,
      `Para entrar, abra este enlace e ingrese este correo (${invitation.to}); le enviaremos un código de un solo uso. No hay contraseña.`,
      ``,
      link,
      ``,
      `Si no esperaba este mensaje, puede ignorarlo.`,
      ``,
      `---`,
      ``,
      `Hello,`,
      ``,
      `You were made an administrator of ${name} on Assembly 2.0, the PH assembly platform.`,
      `To sign in, open this link and enter this email address (${invitation.to}); we will send you a one-time code. There is no password.`,
      ``,
      link,
      ``,
      `If you did not expect this message, you can ignore it.`,
    ].join('\n'),
  }
}
