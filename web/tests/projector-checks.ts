import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const jsQrScript = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js')

/**
 * Decodes the QR codes a screenshot shows, as a phone in the hall would: the PNG is drawn on a canvas
 * in a blank page of the same browser and read by jsQR (the desk scanner's decoder). Each region
 * (the box of a QR as the page laid it out, with a margin) is read on its own, so a code cut by the
 * edge of the screen or covered by something else fails to decode.
 */
export async function decodeQrCodes(
  blank: Page,
  png: Buffer,
  regions: { x: number; y: number; width: number; height: number }[],
): Promise<(string | null)[]> {
  await blank.setContent('<!doctype html><title>qr</title>')
  await blank.addScriptTag({ path: jsQrScript })
  return blank.evaluate(
    async ({ base64, boxes }) => {
      const image = new Image()
      image.src = `data:image/png;base64,${base64}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.width
      canvas.height = image.height
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0)
      const decode = (
        window as unknown as { jsQR: (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null }
      ).jsQR
      return boxes.map((box) => {
        const margin = 24
        const x = Math.max(0, Math.floor(box.x - margin))
        const y = Math.max(0, Math.floor(box.y - margin))
        const width = Math.min(image.width - x, Math.ceil(box.width + 2 * margin))
        const height = Math.min(image.height - y, Math.ceil(box.height + 2 * margin))
        if (width <= 0 || height <= 0) return null
        const pixels = context.getImageData(x, y, width, height)
        return decode(pixels.data, width, height)?.data ?? null
      })
    },
    { base64: png.toString('base64'), boxes: regions },
  )
}

/** The rendered font size (px) and text of every visible element matching `selector`. */
export function fontSizes(page: Page, selector: string): Promise<{ text: string; px: number }[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((element) => (element as HTMLElement).offsetParent !== null)
      .map((element) => ({
        text: (element.textContent ?? '').trim(),
        px: Number.parseFloat(getComputedStyle(element).fontSize),
      })),
  )
}

/** Whether every element matching `selector` lies wholly inside the viewport (nothing cut off). */
export function wholeOnScreen(page: Page, selector: string): Promise<boolean[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect()
      return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth
    }),
  )
}
