import { useEffect, useState } from 'react'
import QRCode from 'qrcode'

/** A QR code of `value` drawn in the browser (no server round trip), with its text as the alt. */
export function QrImage({
  value,
  size,
  alt,
  testId,
}: {
  value: string
  size: number
  alt: string
  testId?: string
}): React.JSX.Element {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    void QRCode.toDataURL(value, { width: size, margin: 1, errorCorrectionLevel: 'M' }).then(
      (url) => {
        if (live) setSrc(url)
      },
    )
    return () => {
      live = false
    }
  }, [value, size])
  return src ? (
    <img src={src} width={size} height={size} alt={alt} data-testid={testId} />
  ) : (
    <div style={{ width: size, height: size }} />
  )
}
