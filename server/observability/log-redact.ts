/** pino `redact` paths: credentials and auth headers are censored wherever a log line carries them. */
export const LOG_REDACT: string[] = [
  'authorization', '*.authorization', '*.headers.authorization', 'req.headers.authorization',
  'cookie', '*.cookie', '*.headers.cookie', '*.headers["set-cookie"]', '*["set-cookie"]',
  '*.headers["x-api-key"]', '*["x-api-key"]',
  'password', '*.password', 'secret', '*.secret', '*.pass', 'token', '*.token', '*.apiToken', '*.secretKey',
  '*.credentials', '*.data.password', '*.data.secret', '*.data.token',
];
