import { encode } from 'uqr'

/**
 * A .y4m video (the raw YUV 4:2:0 format Chromium's fake camera reads with
 * --use-file-for-fake-video-capture) showing `text` as a QR code, black on white, centred and
 * slightly off-axis like a phone held up to a laptop camera is not: the decoder gets a clean frame.
 * A few identical frames: Chromium loops the file.
 */
export function qrVideo(text: string, width = 640, height = 480, frames = 5): Uint8Array {
  const { data, size } = encode(text, { ecc: 'M', border: 4 })
  const module = Math.floor((Math.min(width, height) * 0.9) / size)
  const left = Math.floor((width - size * module) / 2)
  const top = Math.floor((height - size * module) / 2)
  const luma = new Uint8Array(width * height).fill(235)
  for (let y = 0; y < size * module; y++) {
    for (let x = 0; x < size * module; x++) {
      if (data[Math.floor(y / module)]![Math.floor(x / module)]) luma[(top + y) * width + left + x] = 16
    }
  }
  const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128)
  const header = new TextEncoder().encode(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)
  const frameHeader = new TextEncoder().encode('FRAME\n')
  const frameBytes = frameHeader.length + luma.length + chroma.length
  const out = new Uint8Array(header.length + frames * frameBytes)
  out.set(header, 0)
  for (let i = 0; i < frames; i++) {
    const at = header.length + i * frameBytes
    out.set(frameHeader, at)
    out.set(luma, at + frameHeader.length)
    out.set(chroma, at + frameHeader.length + luma.length)
  }
  return out
}
