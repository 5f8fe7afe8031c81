import { defineMessages } from '../lib/i18n.ts'

export const deskBallotMessages = defineMessages(
  {
    legend: 'Voto en la mesa: {title}',
    secret: 'Votación secreta: no comente la elección en voz alta.',
    reason: 'Motivo (queda registrado)',
    reasonDefault: 'Propietario sin teléfono: voto registrado en la mesa',
    submit: 'Registrar voto de la unidad {unit}',
    chooseOne: 'Elija una opción.',
    receiptTitle: 'Comprobante de voto',
    receiptUnit: 'Unidad {unit} · {title}',
    receiptCode: 'Código de comprobante',
    receiptHint:
      'Con este código puede comprobar que su voto figura en la lista pública de comprobantes de la votación. Si vuelve a votar mientras esté abierta, cuenta el último voto.',
    receiptAt: 'Registrado a las {time} por la mesa.',
    print: 'Imprimir comprobante',
    refused: 'No se registró el voto: {reason}',
  },
  {
    legend: 'Desk ballot: {title}',
    secret: 'Secret ballot: do not say the choice out loud.',
    reason: 'Reason (recorded)',
    reasonDefault: 'Owner without a phone: ballot recorded at the desk',
    submit: 'Record the ballot of unit {unit}',
    chooseOne: 'Choose an option.',
    receiptTitle: 'Ballot receipt',
    receiptUnit: 'Unit {unit} · {title}',
    receiptCode: 'Receipt code',
    receiptHint:
      'With this code you can check that your ballot appears on the motion’s public receipt list. If you vote again while it is open, the last ballot counts.',
    receiptAt: 'Recorded at {time} by the desk.',
    print: 'Print receipt',
    refused: 'The ballot was not recorded: {reason}',
  },
)
