package io.kaveri.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    private static final byte[] BODY = "{\"id\":\"evt_1\",\"amount\":42}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    /** The test's own HMAC, independent of the code under test. */
    static byte[] hmac(String algorithm, byte[] key, String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> headers(String... nameValue) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValue.length; i += 2) {
            h.put(nameValue[i], nameValue[i + 1]);
        }
        return h;
    }

    @Nested
    class GitHub {
        @Test
        void publishedExampleFromGitHubDocs() {
            Signatures.Verifier v = Signatures.github(List.of("It's a Secret to Everybody"));
            assertThat(v.verify(headers("X-Hub-Signature-256",
                    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
                    utf8("Hello, World!"), NOW)).isNull();
        }

        @Test
        void acceptsAnyRotatedSecretAndRejectsOthers() {
            Signatures.Verifier v = Signatures.github(List.of("new-secret", "old-secret"));
            String old = "sha256=" + hex(hmac("HmacSHA256", utf8("old-secret"), "", BODY));
            String wrong = "sha256=" + hex(hmac("HmacSHA256", utf8("guess"), "", BODY));
            assertThat(v.verify(headers("x-hub-signature-256", old), BODY, NOW)).isNull();
            assertThat(v.verify(headers("X-Hub-Signature-256", wrong), BODY, NOW)).contains("mismatch");
            assertThat(v.verify(headers(), BODY, NOW)).contains("missing X-Hub-Signature-256");
            assertThat(v.verify(headers("X-Hub-Signature-256", "sha1=abc"), BODY, NOW)).contains("sha256=");
            assertThat(v.verify(headers("X-Hub-Signature-256", "sha256=zz"), BODY, NOW)).contains("not hex");
        }

        @Test
        void signatureCoversTheRawBytes() {
            Signatures.Verifier v = Signatures.github(List.of("s"));
            String sig = "sha256=" + hex(hmac("HmacSHA256", utf8("s"), "", BODY));
            byte[] reformatted = "{\"id\": \"evt_1\", \"amount\": 42}".getBytes(StandardCharsets.UTF_8);
            assertThat(v.verify(headers("X-Hub-Signature-256", sig), reformatted, NOW)).contains("mismatch");
        }
    }

    @Nested
    class Stripe {
        private final Signatures.Verifier v = Signatures.stripe(List.of("whsec_test"), 300);

        private String header(long t, String secret) {
            return "t=" + t + ",v1=" + hex(hmac("HmacSHA256", utf8(secret), t + ".", BODY)) + ",v0=deadbeef";
        }

        @Test
        void acceptsWithinToleranceBothEdges() {
            long now = NOW.getEpochSecond();
            assertThat(v.verify(headers("Stripe-Signature", header(now, "whsec_test")), BODY, NOW)).isNull();
            assertThat(v.verify(headers("Stripe-Signature", header(now - 300, "whsec_test")), BODY, NOW)).isNull();
            assertThat(v.verify(headers("Stripe-Signature", header(now + 300, "whsec_test")), BODY, NOW)).isNull();
        }

        @Test
        void rejectsOutsideTolerance() {
            long now = NOW.getEpochSecond();
            assertThat(v.verify(headers("Stripe-Signature", header(now - 301, "whsec_test")), BODY, NOW))
                    .contains("replay window");
            assertThat(v.verify(headers("Stripe-Signature", header(now + 301, "whsec_test")), BODY, NOW))
                    .contains("replay window");
        }

        @Test
        void acceptsAnyOfSeveralV1SignaturesDuringRotation() {
            long t = NOW.getEpochSecond();
            String both = "t=" + t + ",v1=" + hex(hmac("HmacSHA256", utf8("other"), t + ".", BODY))
                    + ",v1=" + hex(hmac("HmacSHA256", utf8("whsec_test"), t + ".", BODY));
            assertThat(v.verify(headers("Stripe-Signature", both), BODY, NOW)).isNull();
        }

        @Test
        void rejectsWrongSecretMissingPartsAndTamperedTimestamp() {
            long t = NOW.getEpochSecond();
            assertThat(v.verify(headers("Stripe-Signature", header(t, "wrong")), BODY, NOW)).contains("mismatch");
            assertThat(v.verify(headers("Stripe-Signature", "t=" + t), BODY, NOW)).contains("lacks");
            assertThat(v.verify(headers(), BODY, NOW)).contains("missing");
            String signedAtT = header(t, "whsec_test").replace("t=" + t, "t=" + (t - 1));
            assertThat(v.verify(headers("Stripe-Signature", signedAtT), BODY, NOW)).contains("mismatch");
        }

        @Test
        void zeroToleranceDisablesTheReplayCheck() {
            Signatures.Verifier lax = Signatures.stripe(List.of("whsec_test"), 0);
            assertThat(lax.verify(headers("Stripe-Signature", header(1, "whsec_test")), BODY, NOW)).isNull();
        }
    }

    @Nested
    class Shopify {
        @Test
        void base64HmacOfBody() {
            Signatures.Verifier v = Signatures.shopify(List.of("shpss_secret"));
            String sig = b64(hmac("HmacSHA256", utf8("shpss_secret"), "", BODY));
            assertThat(v.verify(headers("X-Shopify-Hmac-Sha256", sig), BODY, NOW)).isNull();
            assertThat(v.verify(headers("X-Shopify-Hmac-Sha256", b64(new byte[32])), BODY, NOW)).contains("mismatch");
            assertThat(v.verify(headers("X-Shopify-Hmac-Sha256", "%%%"), BODY, NOW)).contains("not base64");
        }
    }

    @Nested
    class Slack {
        private final Signatures.Verifier v = Signatures.slack(List.of("8f742231b10e8888abcd99yyyzzz85a5"), 300);

        @Test
        void v0BaseString() {
            String ts = Long.toString(NOW.getEpochSecond());
            String sig = "v0=" + hex(hmac("HmacSHA256", utf8("8f742231b10e8888abcd99yyyzzz85a5"), "v0:" + ts + ":", BODY));
            assertThat(v.verify(headers("X-Slack-Request-Timestamp", ts, "X-Slack-Signature", sig), BODY, NOW)).isNull();
        }

        @Test
        void staleTimestampAndMissingHeadersAreRejected() {
            String ts = Long.toString(NOW.getEpochSecond() - 301);
            String sig = "v0=" + hex(hmac("HmacSHA256", utf8("8f742231b10e8888abcd99yyyzzz85a5"), "v0:" + ts + ":", BODY));
            assertThat(v.verify(headers("X-Slack-Request-Timestamp", ts, "X-Slack-Signature", sig), BODY, NOW))
                    .contains("replay window");
            assertThat(v.verify(headers("X-Slack-Signature", sig), BODY, NOW)).contains("missing");
            assertThat(v.verify(headers("X-Slack-Request-Timestamp", "soon", "X-Slack-Signature", sig), BODY, NOW))
                    .contains("not a Unix timestamp");
        }
    }

    @Nested
    class StandardWebhooks {
        @Test
        void publishedExampleFromTheSpecification() {
            Signatures.Verifier v = Signatures.standardWebhooks(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), 0);
            Map<String, String> h = headers("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                    "webhook-timestamp", "1614265330",
                    "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
            assertThat(v.verify(h, utf8("{\"test\": 2432232314}"), NOW)).isNull();
        }

        @Test
        void severalSignaturesAndSeveralSecrets() {
            byte[] key = utf8("0123456789abcdef0123456789abcdef");
            String secret = "whsec_" + b64(key);
            String ts = Long.toString(NOW.getEpochSecond());
            String good = "v1," + b64(hmac("HmacSHA256", key, "msg_1." + ts + ".", BODY));
            String other = "v1," + b64(hmac("HmacSHA256", utf8("another key"), "msg_1." + ts + ".", BODY));
            Signatures.Verifier v = Signatures.standardWebhooks(List.of("whsec_" + b64(utf8("old key")), secret), 300);
            Map<String, String> h = headers("webhook-id", "msg_1", "webhook-timestamp", ts,
                    "webhook-signature", other + " v1a,ignored " + good);
            assertThat(v.verify(h, BODY, NOW)).isNull();
            h.put("webhook-signature", other);
            assertThat(v.verify(h, BODY, NOW)).contains("mismatch");
            h.put("webhook-signature", "v2,abc");
            assertThat(v.verify(h, BODY, NOW)).contains("no v1");
            h.put("webhook-timestamp", Long.toString(NOW.getEpochSecond() + 301));
            assertThat(v.verify(h, BODY, NOW)).contains("replay window");
        }
    }

    @Nested
    class GenericAndAuth {
        @Test
        void configurableHeaderAlgorithmEncodingAndPrefix() {
            Signatures.Verifier sha1hex = Signatures.hmac(List.of("k"), "X-Signature", "HmacSHA1", false, "sha1=");
            assertThat(sha1hex.verify(headers("X-Signature", "sha1=" + hex(hmac("HmacSHA1", utf8("k"), "", BODY))),
                    BODY, NOW)).isNull();
            Signatures.Verifier sha512b64 = Signatures.hmac(List.of("k"), "X-Sig", "HmacSHA512", true, "");
            assertThat(sha512b64.verify(headers("X-Sig", b64(hmac("HmacSHA512", utf8("k"), "", BODY))), BODY, NOW)).isNull();
            assertThat(sha512b64.verify(headers("X-Sig", b64(hmac("HmacSHA256", utf8("k"), "", BODY))), BODY, NOW))
                    .contains("mismatch");
        }

        @Test
        void bearerTokens() {
            Signatures.Verifier v = Signatures.bearer(List.of("t-new", "t-old"));
            assertThat(v.verify(headers("Authorization", "Bearer t-old"), BODY, NOW)).isNull();
            assertThat(v.verify(headers("Authorization", "bearer t-new"), BODY, NOW)).isNull();
            assertThat(v.verify(headers("Authorization", "Bearer t-older"), BODY, NOW)).isEqualTo("invalid credentials");
            assertThat(v.verify(headers("Authorization", "Basic dDpu"), BODY, NOW)).contains("missing");
        }

        @Test
        void basicCredentials() {
            Signatures.Verifier v = Signatures.basic(List.of("hook:s3cret"));
            assertThat(v.verify(headers("Authorization", "Basic " + b64(utf8("hook:s3cret"))), BODY, NOW)).isNull();
            assertThat(v.verify(headers("Authorization", "Basic " + b64(utf8("hook:wrong"))), BODY, NOW))
                    .isEqualTo("invalid credentials");
            assertThat(v.verify(headers("Authorization", "Basic ###"), BODY, NOW)).contains("not base64");
        }
    }
}
