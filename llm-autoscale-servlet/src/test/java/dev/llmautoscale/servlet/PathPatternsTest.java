package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathPatternsTest {

    private static int match(PathPatterns p, String uri, String contextPath) {
        int start = contextPath.length();
        return p.match(uri, start, PathPatterns.pathEnd(uri, start));
    }

    private static String model(PathPatterns p, String uri) {
        int end = PathPatterns.pathEnd(uri, 0);
        int i = p.match(uri, 0, end);
        return i < 0 ? null : p.model(i, uri, 0, end);
    }

    @Test
    void exactPathsMatchOnlyThemselvesAfterTheContextPath() {
        PathPatterns p = PathPatterns.compile(ServletKeys.PATHS.defaultValue());
        assertThat(match(p, "/v1/completions", "")).isZero();
        assertThat(match(p, "/v1/chat/completions", "")).isEqualTo(1);
        assertThat(match(p, "/api/v1/embeddings", "/api")).isEqualTo(2);
        assertThat(match(p, "/v1/completions;jsessionid=abc", "")).isZero();
        assertThat(match(p, "/v1/completions/", "")).isEqualTo(-1);
        assertThat(match(p, "/v1/completionsX", "")).isEqualTo(-1);
        assertThat(match(p, "/v1/chat", "")).isEqualTo(-1);
        assertThat(match(p, "/api/v1/embeddings", "")).isEqualTo(-1);
        assertThat(match(p, "/V1/completions", "")).isEqualTo(-1);
        assertThat(match(p, "/", "")).isEqualTo(-1);
    }

    @Test
    void trailingWildcardMatchesThePrefixAndEverythingBelow() {
        for (String pattern : new String[] {"/v1/*", "/v1/**"}) {
            PathPatterns p = PathPatterns.compile(List.of(pattern));
            assertThat(match(p, "/v1", "")).isZero();
            assertThat(match(p, "/v1/", "")).isZero();
            assertThat(match(p, "/v1/chat/completions", "")).isZero();
            assertThat(match(p, "/v10/x", "")).isEqualTo(-1);
            assertThat(match(p, "/v", "")).isEqualTo(-1);
        }
        assertThat(match(PathPatterns.compile(List.of("/*")), "/anything/at/all", "")).isZero();
    }

    @Test
    void middleWildcardAndModelMatchExactlyOneSegment() {
        PathPatterns p = PathPatterns.compile(List.of("/v2/models/{model}/infer", "/x/*/y"));
        assertThat(model(p, "/v2/models/llama-13b/infer")).isEqualTo("llama-13b");
        assertThat(model(p, "/v2/models/path%2Dmodel/infer")).isEqualTo("path-model");
        assertThat(model(p, "/v2/models/caf%C3%A9/infer")).isEqualTo("caf\u00e9");
        assertThat(model(p, "/v2/models/a+b%zz%4/infer")).isEqualTo("a+b%zz%4");
        assertThat(model(p, "/v2/models/m/infer;v=1")).isEqualTo("m");
        assertThat(match(p, "/v2/models//infer", "")).isEqualTo(-1);
        assertThat(match(p, "/v2/models/a/b/infer", "")).isEqualTo(-1);
        assertThat(match(p, "/x/anything/y", "")).isEqualTo(1);
        assertThat(model(p, "/x/anything/y")).isNull();
        assertThat(match(p, "/x/y", "")).isEqualTo(-1);
    }

    @Test
    void invalidPatternsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> PathPatterns.compile(List.of("v1/completions"))).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> PathPatterns.compile(List.of("/"))).hasMessageContaining("'/*'");
        assertThatThrownBy(() -> PathPatterns.compile(List.of("/a//b"))).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> PathPatterns.compile(List.of("/a/**/b"))).hasMessageContaining("last segment");
        assertThatThrownBy(() -> PathPatterns.compile(List.of("/a/{model}/{model}"))).hasMessageContaining("more than one");
        assertThatThrownBy(() -> PathPatterns.compile(List.of("/a/x*"))).hasMessageContaining("mixes text");
        assertThatThrownBy(() -> PathPatterns.compile(List.of("/a/{name}"))).hasMessageContaining("mixes text");
    }
}
