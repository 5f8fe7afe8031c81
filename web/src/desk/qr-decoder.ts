/**
 * The QR decoder for browsers without BarcodeDetector (desktop Chromium on Linux and Windows,
 * Firefox, Safari before 17): jsQR, built as its own asset and loaded by the scanner only when needed,
 * so the desk page's script stays small.
 */
import jsQR from 'jsqr'

/** The text of the first QR code in the frame, or null. */
export function decode(frame: ImageData): string | null {
  return jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data ?? null
}
