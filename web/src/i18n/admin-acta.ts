import { defineMessages } from '../lib/i18n.ts'

/** The acta on the admin assembly page: discussion summaries, review and the officers' sign-offs. */
export const actaMessages = defineMessages(
  {
    actaStatus: 'Estado del acta',
    actaStatus_none: 'El acta se congela al cerrar la asamblea. Hasta entonces es una vista previa.',
    actaStatus_draft: 'Borrador',
    actaStatus_reviewed: 'Revisada, pendiente de firmas',
    actaStatus_final: 'Definitiva: firmada por presidente y secretario',
    actaStatusHelp_draft:
      'Revise el acta y escriba el resumen de la discusión de cada punto. Luego márquela como revisada.',
    actaStatusHelp_reviewed:
      'El presidente y el secretario deben firmarla. Si cambia un resumen, vuelve a borrador y las firmas se anulan.',
    actaStatusHelp_final: 'El acta ya no puede cambiar. Su huella queda encadenada a las actas anteriores.',
    actaHash: 'Huella SHA-256 del acta',
    actaReview: 'Marcar como revisada',
    actaReviewed: 'Acta marcada como revisada.',
    actaSummaries: 'Resumen de la discusión de cada punto',
    actaSummariesHint: 'Lo que se discutió en cada punto del orden del día, tal como quedará en el acta.',
    actaSummarySave: 'Guardar resumen',
    actaSummarySaved: 'Resumen guardado.',
    actaSummarySavedDraft:
      'Resumen guardado. El acta volvió a borrador: hay que revisarla y firmarla otra vez.',
    actaSignOffs: 'Firmas',
    actaSignRole: 'Firma como',
    actaSignName: 'Nombre de quien firma',
    actaSign: 'Firmar el acta',
    actaSigned: 'Firma registrada.',
    actaSignedFinal: 'Firma registrada. El acta es definitiva.',
    actaSignConfirm: 'Va a firmar el acta tal como está ahora (huella {hash}). ¿Continuar?',
    actaSignedBy: '{role}: {name}, {when}',
    actaNotSigned: '{role}: pendiente',
    actaRole_president: 'Presidente',
    actaRole_secretary: 'Secretario',
    actaSignNeedsReview: 'Para firmar, primero marque el acta como revisada.',
  },
  {
    actaStatus: 'Status of the minutes',
    actaStatus_none: 'The minutes are frozen when the assembly closes. Until then this is a preview.',
    actaStatus_draft: 'Draft',
    actaStatus_reviewed: 'Reviewed, awaiting signatures',
    actaStatus_final: 'Final: signed by the chair and the secretary',
    actaStatusHelp_draft:
      'Review the minutes and write the discussion summary of each item. Then mark them as reviewed.',
    actaStatusHelp_reviewed:
      'The chair and the secretary must sign. Changing a summary returns them to draft and cancels the signatures.',
    actaStatusHelp_final:
      'The minutes can no longer change. Their fingerprint is chained to earlier minutes.',
    actaHash: 'SHA-256 fingerprint of the minutes',
    actaReview: 'Mark as reviewed',
    actaReviewed: 'Minutes marked as reviewed.',
    actaSummaries: 'Discussion summary of each item',
    actaSummariesHint: 'What was discussed on each agenda item, as it will appear in the minutes.',
    actaSummarySave: 'Save summary',
    actaSummarySaved: 'Summary saved.',
    actaSummarySavedDraft: 'Summary saved. The minutes are a draft again: review and sign them again.',
    actaSignOffs: 'Signatures',
    actaSignRole: 'Sign as',
    actaSignName: 'Name of the signer',
    actaSign: 'Sign the minutes',
    actaSigned: 'Signature recorded.',
    actaSignedFinal: 'Signature recorded. The minutes are final.',
    actaSignConfirm: 'You are signing the minutes as they are now (fingerprint {hash}). Continue?',
    actaSignedBy: '{role}: {name}, {when}',
    actaNotSigned: '{role}: pending',
    actaRole_president: 'Chair',
    actaRole_secretary: 'Secretary',
    actaSignNeedsReview: 'To sign, first mark the minutes as reviewed.',
  },
)

export type ActaKey = keyof typeof actaMessages.es
