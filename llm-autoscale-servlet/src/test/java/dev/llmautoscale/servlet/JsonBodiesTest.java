package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    private static String find(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return JsonBodies.findModel(b, b.length);
    }

    @Test
    void findsTheTopLevelModelWhereverItIs() {
        assertThat(find("{\"model\":\"llama-13b\",\"messages\":[]}")).isEqualTo("llama-13b");
        assertThat(find("  \n{\"messages\":[{\"role\":\"user\",\"content\":\"{\\\"model\\\":1}\"}],"
                + "\"stream\":true,\"n\":{\"a\":[1,2,{\"b\":null}]},\"model\":\"late\"}")).isEqualTo("late");
        assertThat(find("\ufeff{\"model\":\"with-bom\"}")).isEqualTo("with-bom");
        assertThat(find("{\"model\":\"caf\\u00e9 \\\"quoted\\\"\"}")).isEqualTo("caf\u00e9 \"quoted\"");
    }

    @Test
    void ignoresNestedNonStringAndMissingModels() {
        assertThat(find("{\"messages\":[{\"model\":\"nested\"}],\"options\":{\"model\":\"nested\"}}")).isNull();
        assertThat(find("{\"model\":42}")).isNull();
        assertThat(find("{\"model\":null}")).isNull();
        assertThat(find("{\"model\":{\"name\":\"x\"}}")).isNull();
        assertThat(find("[{\"model\":\"in-array\"}]")).isNull();
        assertThat(find("")).isNull();
        assertThat(find("   ")).isNull();
    }

    @Test
    void survivesTruncatedMalformedDeepAndBinaryInput() {
        assertThat(find("{\"messages\":[{\"role\":\"user\",\"content\":\"trunc")).isNull();
        assertThat(find("{\"model\":\"found-before-truncation\",\"messages\":[{\"rol")).isEqualTo("found-before-truncation");
        assertThat(find("{\"model\":\"found-before-damage\",]]]}}}")).isEqualTo("found-before-damage");
        assertThat(find("{\"messages\":]]],\"model\":\"after-damage\"}")).isNull();
        assertThat(find("{\"model\":\"unterminated")).isNull();
        assertThat(find("{\"deep\":" + "[".repeat(5000) + "],\"model\":\"x\"}")).isNull();
        byte[] binary = new byte[64 * 1024];
        new Random(1).nextBytes(binary);
        binary[0] = '{';
        assertThat(JsonBodies.findModel(binary, binary.length)).isNull();
    }

    @Test
    void recognisesJsonMediaTypes() {
        assertThat(JsonBodies.isJson("application/json")).isTrue();
        assertThat(JsonBodies.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(JsonBodies.isJson(" application/json ;charset=utf-8")).isTrue();
        assertThat(JsonBodies.isJson("application/vnd.api+json")).isTrue();
        assertThat(JsonBodies.isJson("application/problem+json; charset=utf-8")).isTrue();
        assertThat(JsonBodies.isJson("text/plain")).isFalse();
        assertThat(JsonBodies.isJson("application/octet-stream")).isFalse();
        assertThat(JsonBodies.isJson("application/jsonx")).isFalse();
        assertThat(JsonBodies.isJson("multipart/form-data; boundary=x")).isFalse();
        assertThat(JsonBodies.isJson("")).isFalse();
    }

    @Test
    void tokenCountsAreReadFromNumbersAndText() {
        assertThat(TrackedResponse.count(12)).isEqualTo(12);
        assertThat(TrackedResponse.count(12L)).isEqualTo(12);
        assertThat(TrackedResponse.count(" 7 ")).isEqualTo(7);
        assertThat(TrackedResponse.count("-1")).isEqualTo(-1);
        assertThat(TrackedResponse.count("seven")).isEqualTo(-1);
        assertThat(TrackedResponse.count(null)).isEqualTo(-1);
        assertThat(TrackedResponse.count(new Object())).isEqualTo(-1);
    }
}
