// Verifies captured webhook deliveries with code this project did not write: the Standard Webhooks npm library
// (webhook-signature) and Node's own crypto (x-stackone-signature), as a receiver would (WebhookSignaturesTest).
//
//   node verify.cjs <input.json>
//
// input.json: {"deliveries": [{"body_base64": "<the raw body as received>", "headers": {"webhook-id": ..., ...}}],
//              "secrets": ["whsec_...", ...]}
// prints one JSON line: {"node": ..., "standardwebhooks": ..., "results": [[{"standard": bool, "standard_error": str|null,
// "stackone": bool}, ... one per secret], ... one per delivery]}
"use strict";
const fs = require("node:fs");
const crypto = require("node:crypto");
const { Webhook } = require("standardwebhooks");

/** webhook-signature: Standard Webhooks' verify (the id, the timestamp within 5 minutes, one of the v1 entries). */
function verifyStandard(secret, body, headers) {
  try {
    new Webhook(secret).verify(body, headers);
    return { ok: true, error: null };
  } catch (e) {
    return { ok: false, error: String(e && e.message) };
  }
}

/** x-stackone-signature: HMAC-SHA256 of the raw body with the secret's key bytes, base64url without padding. */
function verifyStackOne(secret, body, header) {
  if (typeof header !== "string") return false;
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  const expected = Buffer.from(crypto.createHmac("sha256", key).update(body).digest("base64url"));
  const received = Buffer.from(header);
  return expected.length === received.length && crypto.timingSafeEqual(expected, received);
}

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const results = input.deliveries.map((delivery) => {
  const body = Buffer.from(delivery.body_base64, "base64");
  return input.secrets.map((secret) => {
    const standard = verifyStandard(secret, body, delivery.headers);
    return {
      standard: standard.ok,
      standard_error: standard.error,
      stackone: verifyStackOne(secret, body, delivery.headers["x-stackone-signature"]),
    };
  });
});
const library = require("standardwebhooks/package.json").version;
console.log(JSON.stringify({ node: process.version, standardwebhooks: library, results }));
