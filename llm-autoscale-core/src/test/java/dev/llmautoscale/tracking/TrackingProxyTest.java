package dev.llmautoscale.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.testing.Fixture;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class TrackingProxyTest {

    interface Generator {
        @TrackInference(model = "llama-13b")
        String complete(String prompt) throws IOException;

        @TrackInference
        String completeWith(@InferenceModel String model, String prompt);

        @TrackInference(model = "async")
        CompletableFuture<String> completeAsync(String prompt);

        CompletionStage<String> untrackedAsync();

        int untracked();
    }

    @TrackInference(model = "typed")
    interface TypeLevel {
        void any();
    }

    static final class Engine implements Generator {
        final CompletableFuture<String> pending = new CompletableFuture<>();

        @Override
        public String complete(String prompt) throws IOException {
            if (prompt.isEmpty()) {
                throw new IOException("empty prompt");
            }
            return "out:" + prompt;
        }

        @Override
        public String completeWith(String model, String prompt) {
            return model + ":" + prompt;
        }

        @Override
        public CompletableFuture<String> completeAsync(String prompt) {
            return pending;
        }

        @Override
        public CompletionStage<String> untrackedAsync() {
            return CompletableFuture.completedFuture("x");
        }

        @Override
        public int untracked() {
            return 5;
        }
    }

    private final Fixture f = new Fixture();
    private final Engine engine = new Engine();
    private final Generator proxy = f.autoscale.tracker().proxy(Generator.class, engine);

    @Test
    void annotatedMethodsAreTrackedWithTheirModel() throws Exception {
        assertThat(proxy.complete("a")).isEqualTo("out:a");
        assertThat(proxy.completeWith("mistral-7b", "b")).isEqualTo("mistral-7b:b");
        assertThat(proxy.completeWith(null, "c")).isEqualTo("null:c");
        assertThat(f.count("llama-13b", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.count("mistral-7b", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.count("default", InferenceStatus.SUCCESS)).isEqualTo(1);
    }

    @Test
    void checkedExceptionsReachTheCallerUnwrappedAndCountAsError() {
        assertThatThrownBy(() -> proxy.complete("")).isInstanceOf(IOException.class).hasMessage("empty prompt");
        assertThat(f.count("llama-13b", InferenceStatus.ERROR)).isEqualTo(1);
    }

    @Test
    void asyncMethodsAreTrackedUntilCompletion() {
        CompletableFuture<String> future = proxy.completeAsync("p");
        assertThat(future).isSameAs(engine.pending);
        assertThat(f.autoscale.load().running()).isEqualTo(1);
        engine.pending.complete("done");
        assertThat(f.count("async", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.autoscale.load().running()).isZero();
    }

    @Test
    void unannotatedMethodsAndObjectMethodsPassThrough() {
        assertThat(proxy.untracked()).isEqualTo(5);
        assertThat(proxy.untrackedAsync().toCompletableFuture().join()).isEqualTo("x");
        assertThat(proxy.equals(proxy)).isTrue();
        assertThat(proxy.hashCode()).isEqualTo(System.identityHashCode(proxy));
        assertThat(proxy.toString()).startsWith("TrackingProxy[");
        assertThat(f.autoscale.load().models()).isEmpty();
    }

    @Test
    void typeLevelAnnotationTracksEveryMethod() {
        TypeLevel tracked = f.autoscale.tracker().proxy(TypeLevel.class, () -> { });
        tracked.any();
        assertThat(f.count("typed", InferenceStatus.SUCCESS)).isEqualTo(1);
    }

    @Test
    void rejectsClasses() {
        assertThatThrownBy(() -> f.autoscale.tracker().proxy(Engine.class, engine))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an interface");
    }
}
