"""A receiver's checks in Python, standard library only: the two functions docs/events.md shows (the README shows
the first), run by WebhookSignaturesTest on real deliveries.

    python3 verify.py <input.json>

reads the same input as verify.cjs and prints {"python": ..., "standard": [[bool per secret] per delivery],
"results": [[bool per secret] per delivery]} (webhook-signature and x-stackone-signature).
"""
import base64, hashlib, hmac, time
import json
import sys


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """Standard Webhooks: any v1 signature of id.timestamp.body, timestamp within 5 minutes."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, sig[3:]) for sig in headers["webhook-signature"].split() if sig.startswith("v1,"))


def verify_stackone(secret: str, headers: dict, body: bytes) -> bool:
    """StackOne's x-stackone-signature: base64url HMAC-SHA256 of the raw body (sent without '=' padding)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.urlsafe_b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode().rstrip("=")
    return hmac.compare_digest(expected, headers["x-stackone-signature"].rstrip("="))


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as file:
        given = json.load(file)
    deliveries = [(delivery["headers"], base64.b64decode(delivery["body_base64"])) for delivery in given["deliveries"]]
    print(json.dumps({
        "python": sys.version.split()[0],
        "standard": [[verify(secret, headers, body) for secret in given["secrets"]] for headers, body in deliveries],
        "results": [[verify_stackone(secret, headers, body) for secret in given["secrets"]] for headers, body in deliveries],
    }))
