package io.kaveri.cli;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSigningTest {

    @Test
    void githubSignatureMatchesTheExampleInGitHubsDocumentation() {
        // docs.github.com "Validating webhook deliveries": this secret and payload give this signature.
        String signature = WebhookSigning.github("It's a Secret to Everybody", utf8("Hello, World!"));

        assertThat(signature).isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void stripeSignatureIsTheHmacOfTimestampDotBodyWithTheTimestampInFront() throws Exception {
        byte[] body = utf8("{\"id\":\"evt_1\",\"type\":\"charge.succeeded\"}");

        String header = WebhookSigning.stripe("whsec_test", 1_700_000_000L, body);

        // Stripe's documented scheme, computed here with the JDK's Mac on the concatenated text.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(utf8("whsec_test"), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(utf8("1700000000.{\"id\":\"evt_1\",\"type\":\"charge.succeeded\"}")));
        assertThat(header).isEqualTo("t=1700000000,v1=" + expected);
    }

    @Test
    void stripeSignatureChangesWithTheTimestampSoAReplayCannotReuseIt() {
        byte[] body = utf8("{}");

        String v1At0 = WebhookSigning.stripe("s", 100, body).split(",v1=")[1];
        String v1At1 = WebhookSigning.stripe("s", 101, body).split(",v1=")[1];

        assertThat(v1At0).isNotEqualTo(v1At1).hasSize(64);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
