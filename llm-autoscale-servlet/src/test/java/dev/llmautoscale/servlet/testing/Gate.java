package dev.llmautoscale.servlet.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds requests inside the application until the test opens it. */
public final class Gate {

    private final CountDownLatch open = new CountDownLatch(1);

    /** Lets every held and future request through. */
    public void open() {
        open.countDown();
    }

    /** Waits until the gate opens (at most 60 s, so that a failing test never hangs the build). */
    public void pass() {
        try {
            if (!open.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at the gate", e);
        }
    }
}
