package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

/** Waits for a started server to become ready. */
final class Readiness {

    private Readiness() {
    }

    static void await(ServerProcess s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int status;
        while ((status = s.get("/ready").status()) != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(status).as("ready within 60 s; output:\n" + s.output()).isEqualTo(200);
    }
}
