"""A receiver's check of x-stackone-signature in Python, standard library only (the snippet the README shows).

    python3 verify_stackone.py <input.json>

reads the same input as verify.cjs and prints {"python": ..., "results": [[bool per secret] per delivery]}
(WebhookSignaturesTest runs it).
"""
import base64
import hashlib
import hmac
import json
import sys


def verify_stackone_signature(secret: str, raw_body: bytes, signature: str) -> bool:
    """x-stackone-signature: HMAC-SHA256 of the raw body, base64url without '=' padding; the key is the secret's bytes."""
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    digest = hmac.new(key, raw_body, hashlib.sha256).digest()
    expected = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
    return hmac.compare_digest(expected, signature)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as file:
        given = json.load(file)
    results = [
        [verify_stackone_signature(secret, base64.b64decode(delivery["body_base64"]),
                                   delivery["headers"].get("x-stackone-signature", "")) for secret in given["secrets"]]
        for delivery in given["deliveries"]
    ]
    print(json.dumps({"python": sys.version.split()[0], "results": results}))
