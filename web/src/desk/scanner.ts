import { h, replace } from '../lib/dom.ts'

// The Shape Detection API is not in TypeScript's DOM library yet.
interface DetectedBarcode {
  rawValue: string
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>
}
type BarcodeDetectorConstructor = {
  new (options: { formats: string[] }): BarcodeDetectorLike
  getSupportedFormats?: () => Promise<string[]>
}

/** URL of the built decoder module (web/src/desk/qr-decoder.ts), set by web/build.ts. */
declare const QR_DECODER_URL: string

export type ScannerState = 'starting' | 'running' | 'failed'

export interface ScannerLabels {
  label: string
  scanning: string
  /** No camera API at all (old browser, or a page not on https/localhost). */
  unsupported: string
  /** The person or the browser refused the camera. */
  denied: string
  /** No camera on this device. */
  noCamera: string
  /** Any other failure to start the camera or the decoder. */
  failed: string
  onCode: (code: string) => void
  /** The camera's true state: the desk shows "stop" only while a stream is running. */
  onState: (state: ScannerState) => void
}

type Decode = (video: HTMLVideoElement) => Promise<string | null>

/** The browser's BarcodeDetector when it reads QR codes; otherwise jsQR on frames drawn to a canvas. */
async function makeDecoder(): Promise<Decode> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector
  const formats = Detector ? await Detector.getSupportedFormats?.().catch(() => []) : []
  if (Detector && (!formats || formats.includes('qr_code'))) {
    const detector = new Detector({ formats: ['qr_code'] })
    return async (video) => (await detector.detect(video).catch(() => []))[0]?.rawValue ?? null
  }
  const { decode } = (await import(QR_DECODER_URL)) as {
    decode: (frame: ImageData) => string | null
  }
  const canvas = document.createElement('canvas')
  const context = canvas.getContext('2d', { willReadFrequently: true })!
  return async (video) => {
    if (!video.videoWidth) return null
    // At most 800 px wide: a QR code held up to the camera is still many pixels per module.
    const scale = Math.min(1, 800 / video.videoWidth)
    canvas.width = Math.round(video.videoWidth * scale)
    canvas.height = Math.round(video.videoHeight * scale)
    context.drawImage(video, 0, 0, canvas.width, canvas.height)
    return decode(context.getImageData(0, 0, canvas.width, canvas.height))
  }
}

function failureMessage(error: unknown, labels: ScannerLabels): string {
  const name = error instanceof DOMException ? error.name : ''
  if (name === 'NotAllowedError' || name === 'SecurityError') return labels.denied
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return labels.noCamera
  return labels.failed
}

/**
 * Reads QR codes from the camera: with the browser's BarcodeDetector where it reads QR codes, else with
 * jsQR (loaded on first use). Reports its state truthfully through `onState`; on failure it says why
 * and the desk types the code instead. The same code is not reported twice within 5 s.
 */
export function startScanner(container: HTMLElement, labels: ScannerLabels): { stop(): void } {
  const fail = (message: string) => {
    replace(container, h('p', { class: 'notice notice-error', role: 'alert' }, message))
    labels.onState('failed')
  }
  if (!navigator.mediaDevices?.getUserMedia) {
    fail(labels.unsupported)
    return { stop() {} }
  }
  const video = h('video', { class: 'scanner', playsinline: true, muted: true, 'aria-label': labels.label })
  let stream: MediaStream | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let last = { code: '', at: 0 }
  labels.onState('starting')

  const start = async () => {
    const [decode, media] = await Promise.all([
      makeDecoder(),
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
    ])
    if (stopped) {
      for (const track of media.getTracks()) track.stop()
      return
    }
    stream = media
    video.srcObject = media
    replace(container, h('p', { role: 'status' }, labels.scanning), video)
    await video.play()
    labels.onState('running')
    const tick = async () => {
      if (stopped) return
      const code = (await decode(video).catch(() => null))?.trim()
      if (code && !(code === last.code && Date.now() - last.at < 5000)) {
        last = { code, at: Date.now() }
        labels.onCode(code)
      }
      if (!stopped) timer = setTimeout(tick, 200)
    }
    void tick()
  }
  start().catch((error) => {
    if (stopped) return
    for (const track of stream?.getTracks() ?? []) track.stop()
    fail(failureMessage(error, labels))
  })

  return {
    stop() {
      stopped = true
      clearTimeout(timer)
      for (const track of stream?.getTracks() ?? []) track.stop()
    },
  }
}
