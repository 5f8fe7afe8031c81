import { defineMessages } from '../lib/i18n.ts'

export const deskCodeMessages = defineMessages(
  {
    issue: 'Código de ingreso',
    title: 'Código de ingreso de un solo uso',
    forPerson: 'Para {name}. Entréguelo solo a esta persona.',
    qrLabel: 'Código QR de ingreso para {name}',
    instructions:
      'Escanee el QR con el teléfono, o abra la página de ingreso y escriba el código en «Código de la mesa». Sirve una sola vez, hasta las {time} (10 minutos).',
    print: 'Imprimir',
    failed: 'No se pudo crear el código: {reason}',
    noEmail: 'Esta persona no tiene correo registrado: agréguelo en el padrón o registre su voto en la mesa.',
  },
  {
    issue: 'Sign-in code',
    title: 'One-time sign-in code',
    forPerson: 'For {name}. Hand it to this person only.',
    qrLabel: 'Sign-in QR code for {name}',
    instructions:
      'Scan the QR with the phone, or open the sign-in page and type the code under “Code from the desk”. It works once, until {time} (10 minutes).',
    print: 'Print',
    failed: 'The code could not be created: {reason}',
    noEmail: 'This person has no email on file: add one in the roster or record their ballot at the desk.',
  },
)
