"""The web's rules: HTTP messages, URLs and sites, cookies (RFC 6265bis, as Chromium does), CORS."""
