/** A button that copies a text to the clipboard and says so. */
import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    } catch {
      window.prompt('Copy this:', text);
    }
  };
  return <button type="button" className="btn btn-small" onClick={() => void copy()} title={`${label}: ${text}`}>{done ? 'Copied' : label}</button>;
}
