// Why a request got no response, in words a user can act on: fetch() says only "fetch failed" and
// keeps the reason (DNS, refused, a certificate) in its cause.

// OpenSSL's codes for a certificate chain Node does not trust.
const untrustedCertificate = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);

/** The error's code ("ENOTFOUND", "ECONNREFUSED"…), with what to do when the host's certificate is not trusted. */
export function connectionFailure(error: unknown): string | undefined {
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | undefined)?.cause);
  if (code === undefined) return undefined;
  if (untrustedCertificate.has(code)) return `${code}: its TLS certificate is not trusted; behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to the proxy's CA file`;
  return code;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
