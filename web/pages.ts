/** The pages of the web client: URL path, source module (web/src/pages/<name>.ts) and Spanish title. */
export interface PageDefinition {
  name: string
  path: string
  title: string
  description: string
}

export const PAGES: readonly PageDefinition[] = [
  { name: 'home', path: '/', title: 'Inicio', description: 'Mis PH, unidades, poderes y asambleas' },
  {
    name: 'sign-in',
    path: '/sign-in',
    title: 'Ingresar',
    description: 'Ingrese con su correo o su llave de acceso',
  },
  { name: 'vote', path: '/vote', title: 'Votar', description: 'Votación de la asamblea' },
  { name: 'admin', path: '/admin', title: 'Administración del PH', description: 'Consola del administrador' },
  { name: 'desk', path: '/desk', title: 'Mesa de registro', description: 'Registro de asistencia' },
  {
    name: 'board',
    path: '/board',
    title: 'Tablero de unidades',
    description: 'Asistencia y votos por unidad',
  },
  { name: 'screen', path: '/screen', title: 'Pantalla de resultados', description: 'Resultados en vivo' },
  {
    name: 'platform',
    path: '/platform',
    title: 'Plataforma',
    description: 'Administración de la plataforma',
  },
  { name: 'receipts', path: '/receipts', title: 'Verificar recibo', description: 'Lista pública de recibos' },
]

/** The voting page must stay usable on a slow phone: its JavaScript, gzipped, must fit this. */
export const VOTE_PAGE_BUDGET_BYTES = 50 * 1024
