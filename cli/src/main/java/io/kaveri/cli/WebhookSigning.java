package io.kaveri.cli;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Signs webhook bodies the way the providers do, so that the demo traffic passes the connector's verification
 * exactly like real deliveries: always over the raw body bytes that are sent.
 */
final class WebhookSigning {

    static final String GITHUB_HEADER = "X-Hub-Signature-256";
    static final String STRIPE_HEADER = "Stripe-Signature";

    private WebhookSigning() {
    }

    /** GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the body. */
    static String github(String secret, byte[] body) {
        return "sha256=" + hmacSha256Hex(secret, body);
    }

    /**
     * Stripe's {@code Stripe-Signature}: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}. The timestamp is
     * part of the signed bytes, which is what lets the receiver reject replays outside its tolerance.
     */
    static String stripe(String secret, long epochSeconds, byte[] body) {
        byte[] prefix = (epochSeconds + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "t=" + epochSeconds + ",v1=" + hmacSha256Hex(secret, signed);
    }

    private static String hmacSha256Hex(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            // Every JDK ships HmacSHA256; reaching this means a broken JDK, not bad input.
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }
}
