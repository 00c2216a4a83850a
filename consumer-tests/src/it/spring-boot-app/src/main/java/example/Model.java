package example;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Stands for an engine's model; loading completes when {@link #loaded()} is called (by the test, here). */
@Component
public class Model {

    private final CountDownLatch loaded = new CountDownLatch(1);

    /**
     * Blocks until the model is loaded.
     *
     * @throws InterruptedException when the warm-up is interrupted (its timeout)
     */
    public void load() throws InterruptedException {
        if (!loaded.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the model never finished loading");
        }
    }

    /** Marks the model loaded. */
    public void loaded() {
        loaded.countDown();
    }
}
