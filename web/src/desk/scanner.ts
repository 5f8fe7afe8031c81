import { h, replace } from '../lib/dom.ts'

// The Shape Detection API is not in TypeScript's DOM library yet.
interface DetectedBarcode {
  rawValue: string
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike

export interface ScannerLabels {
  label: string
  scanning: string
  unsupported: string
  denied: string
  onCode: (code: string) => void
}

/**
 * Reads QR codes from the camera with the browser's BarcodeDetector where there is one; elsewhere it
 * says so and the desk types the code instead. The same code is not reported twice within 5 s.
 */
export function startScanner(container: HTMLElement, labels: ScannerLabels): { stop(): void } {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector
  if (!Detector || !navigator.mediaDevices?.getUserMedia) {
    replace(container, h('p', { class: 'notice notice-info', role: 'status' }, labels.unsupported))
    return { stop() {} }
  }
  const detector = new Detector({ formats: ['qr_code'] })
  const video = h('video', { class: 'scanner', playsinline: true, muted: true, 'aria-label': labels.label })
  replace(container, h('p', { role: 'status' }, labels.scanning), video)
  let stream: MediaStream | null = null
  let timer: ReturnType<typeof setInterval> | undefined
  let stopped = false
  let last = { code: '', at: 0 }

  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
    .then(async (media) => {
      if (stopped) {
        for (const track of media.getTracks()) track.stop()
        return
      }
      stream = media
      video.srcObject = media
      await video.play()
      timer = setInterval(async () => {
        const codes = await detector.detect(video).catch(() => [])
        const code = codes[0]?.rawValue?.trim()
        if (!code || (code === last.code && Date.now() - last.at < 5000)) return
        last = { code, at: Date.now() }
        labels.onCode(code)
      }, 250)
    })
    .catch(() => replace(container, h('p', { class: 'notice notice-error', role: 'alert' }, labels.denied)))

  return {
    stop() {
      stopped = true
      clearInterval(timer)
      for (const track of stream?.getTracks() ?? []) track.stop()
    },
  }
}
