/** The page served at `/` until the editor is built into web/dist. */
export const placeholderPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hookflow</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Hookflow</h1>
<p>The server is running. The visual editor is not built into this copy yet; use the HTTP API under
<code>/api</code> with <code>Authorization: Bearer $HOOKFLOW_API_TOKEN</code>, as the README shows.</p>
<p>Health: <a href="/healthz">/healthz</a></p></body></html>`;
