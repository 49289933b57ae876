package io.kaveri.connect.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Request authentication per provider. Every scheme computes over the raw body bytes and compares with
 * {@link MessageDigest#isEqual} so that the time taken does not tell an attacker how much of a guess was right.
 */
final class Signatures {

    /** Checks one request; answers null when it is authentic, else a short reason safe to send back. */
    interface Verifier {
        String verify(Map<String, String> headers, byte[] body, Instant now);
    }

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final String WHSEC = "whsec_";

    private Signatures() {
    }

    static Verifier forRoute(RouteConfig route) {
        List<String> secrets = route.secrets();
        long tolerance = route.toleranceSeconds();
        return switch (route.scheme()) {
            case NONE -> (h, b, now) -> null;
            case GITHUB -> github(secrets);
            case STRIPE -> stripe(secrets, tolerance);
            case SHOPIFY -> shopify(secrets);
            case SLACK -> slack(secrets, tolerance);
            case STANDARD_WEBHOOKS -> standardWebhooks(secrets, tolerance);
            case HMAC -> hmac(secrets, route.signatureHeader(), route.signatureAlgorithm(), route.signatureBase64(),
                    route.signaturePrefix());
            case BEARER -> bearer(secrets);
            case BASIC -> basic(secrets);
        };
    }

    /** X-Hub-Signature-256: sha256=hex(HMAC-SHA256(secret, body)); Meta and WhatsApp sign the same way. */
    static Verifier github(List<String> secrets) {
        return hmac(secrets, "X-Hub-Signature-256", HMAC_SHA256, false, "sha256=");
    }

    /** X-Shopify-Hmac-Sha256: base64(HMAC-SHA256(secret, body)). */
    static Verifier shopify(List<String> secrets) {
        return hmac(secrets, "X-Shopify-Hmac-Sha256", HMAC_SHA256, true, "");
    }

    static Verifier hmac(List<String> secrets, String header, String algorithm, boolean base64, String prefix) {
        List<byte[]> keys = utf8(secrets);
        return (headers, body, now) -> {
            String value = headers.get(header);
            if (value == null) {
                return "missing " + header + " header";
            }
            value = value.trim();
            if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return header + " does not start with " + prefix;
            }
            byte[] given = decode(value.substring(prefix.length()), base64);
            if (given == null) {
                return header + " is not " + (base64 ? "base64" : "hex");
            }
            return anyMatches(keys, algorithm, List.of(given), body) ? null : "signature mismatch in " + header;
        };
    }

    /** Stripe-Signature: t=unix,v1=hex(HMAC-SHA256(secret, t + "." + body)), possibly several v1 during rotation. */
    static Verifier stripe(List<String> secrets, long toleranceSeconds) {
        List<byte[]> keys = utf8(secrets);
        return (headers, body, now) -> {
            String value = headers.get("Stripe-Signature");
            if (value == null) {
                return "missing Stripe-Signature header";
            }
            String t = null;
            List<byte[]> v1 = new ArrayList<>();
            for (String part : value.split(",")) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = part.substring(0, eq).trim();
                String v = part.substring(eq + 1).trim();
                if (k.equals("t")) {
                    t = v;
                } else if (k.equals("v1")) {
                    byte[] sig = decode(v, false);
                    if (sig != null) {
                        v1.add(sig);
                    }
                }
            }
            if (t == null || v1.isEmpty()) {
                return "Stripe-Signature lacks t= or v1=";
            }
            String stale = checkTimestamp(t, now, toleranceSeconds, "Stripe-Signature t");
            if (stale != null) {
                return stale;
            }
            byte[] signed = concat((t + ".").getBytes(StandardCharsets.UTF_8), body);
            return anyMatches(keys, HMAC_SHA256, v1, signed) ? null : "signature mismatch in Stripe-Signature";
        };
    }

    /** X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + X-Slack-Request-Timestamp + ":" + body)). */
    static Verifier slack(List<String> secrets, long toleranceSeconds) {
        List<byte[]> keys = utf8(secrets);
        return (headers, body, now) -> {
            String ts = headers.get("X-Slack-Request-Timestamp");
            String value = headers.get("X-Slack-Signature");
            if (ts == null || value == null) {
                return "missing X-Slack-Signature or X-Slack-Request-Timestamp header";
            }
            String stale = checkTimestamp(ts.trim(), now, toleranceSeconds, "X-Slack-Request-Timestamp");
            if (stale != null) {
                return stale;
            }
            if (!value.startsWith("v0=")) {
                return "X-Slack-Signature does not start with v0=";
            }
            byte[] given = decode(value.substring(3).trim(), false);
            if (given == null) {
                return "X-Slack-Signature is not hex";
            }
            byte[] signed = concat(("v0:" + ts.trim() + ":").getBytes(StandardCharsets.UTF_8), body);
            return anyMatches(keys, HMAC_SHA256, List.of(given), signed) ? null : "signature mismatch in X-Slack-Signature";
        };
    }

    /**
     * Standard Webhooks: webhook-signature holds space-separated "v1,base64(HMAC-SHA256(key, id.timestamp.body))",
     * the key being the base64 after whsec_. Several signatures and several secrets allow rotation on both sides.
     */
    static Verifier standardWebhooks(List<String> secrets, long toleranceSeconds) {
        List<byte[]> keys = secrets.stream().map(Signatures::standardWebhooksKey).toList();
        return (headers, body, now) -> {
            String id = headers.get("webhook-id");
            String ts = headers.get("webhook-timestamp");
            String value = headers.get("webhook-signature");
            if (id == null || ts == null || value == null) {
                return "missing webhook-id, webhook-timestamp or webhook-signature header";
            }
            String stale = checkTimestamp(ts.trim(), now, toleranceSeconds, "webhook-timestamp");
            if (stale != null) {
                return stale;
            }
            List<byte[]> given = new ArrayList<>();
            for (String part : value.trim().split(" +")) {
                if (part.startsWith("v1,")) {
                    byte[] sig = decode(part.substring(3), true);
                    if (sig != null) {
                        given.add(sig);
                    }
                }
            }
            if (given.isEmpty()) {
                return "webhook-signature holds no v1 signature";
            }
            byte[] signed = concat((id.trim() + "." + ts.trim() + ".").getBytes(StandardCharsets.UTF_8), body);
            return anyMatches(keys, HMAC_SHA256, given, signed) ? null : "signature mismatch in webhook-signature";
        };
    }

    static byte[] standardWebhooksKey(String secret) {
        String encoded = secret.startsWith(WHSEC) ? secret.substring(WHSEC.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    /** Authorization: Bearer token, the token being one of the secrets. */
    static Verifier bearer(List<String> tokens) {
        List<byte[]> expected = utf8(tokens);
        return (headers, body, now) -> credential(headers, "Bearer ", expected, false);
    }

    /** Authorization: Basic base64(user:password), the pair being one of the secrets. */
    static Verifier basic(List<String> pairs) {
        List<byte[]> expected = utf8(pairs);
        return (headers, body, now) -> credential(headers, "Basic ", expected, true);
    }

    private static String credential(Map<String, String> headers, String type, List<byte[]> expected, boolean base64) {
        String value = headers.get("Authorization");
        if (value == null || !value.regionMatches(true, 0, type, 0, type.length())) {
            return "missing Authorization: " + type.trim() + " header";
        }
        String token = value.substring(type.length()).trim();
        byte[] given = base64 ? decode(token, true) : token.getBytes(StandardCharsets.UTF_8);
        if (given == null) {
            return "Authorization: Basic is not base64";
        }
        boolean ok = false;
        for (byte[] candidate : expected) {
            ok |= MessageDigest.isEqual(candidate, given);
        }
        return ok ? null : "invalid credentials";
    }

    private static String checkTimestamp(String value, Instant now, long toleranceSeconds, String what) {
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return what + " is not a Unix timestamp";
        }
        if (toleranceSeconds > 0 && Math.abs(now.getEpochSecond() - seconds) > toleranceSeconds) {
            return what + " is outside the replay window of " + toleranceSeconds + " s";
        }
        return null;
    }

    private static boolean anyMatches(List<byte[]> keys, String algorithm, List<byte[]> given, byte[] signed) {
        for (byte[] key : keys) {
            byte[] expected = mac(algorithm, key, signed);
            for (byte[] candidate : given) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    static byte[] mac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Mac " + algorithm + " unavailable", e);
        }
    }

    private static byte[] decode(String value, boolean base64) {
        try {
            return base64 ? Base64.getDecoder().decode(value.trim())
                    : HexFormat.of().parseHex(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<byte[]> utf8(List<String> secrets) {
        return secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
