package dev.llmautoscale.spring.tracking;

import dev.llmautoscale.tracking.InferenceTracker;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;

/**
 * Applies {@link dev.llmautoscale.tracking.TrackInference} to Spring beans: a bean with a tracked method is proxied
 * (or, when it is already an AOP proxy, gets one more advisor), and every call of a tracked method is an inference.
 *
 * <p>Works like Spring's own {@code @Async} and {@code @Validated} support: it needs no AspectJ weaver, and it adds
 * itself to proxies made by {@code spring-boot-starter-aspectj}'s auto-proxying when both apply to a bean, so a call
 * is never counted twice.
 */
public final class TrackInferenceBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private static final long serialVersionUID = 1L;

    /**
     * @param tracker the tracker, resolved on the first tracked call
     * @param streamElementsAreTokens whether each element of a tracked {@code Flux} counts as one output token
     */
    public TrackInferenceBeanPostProcessor(Supplier<InferenceTracker> tracker, boolean streamElementsAreTokens) {
        Objects.requireNonNull(tracker, "tracker");
        this.advisor = new DefaultPointcutAdvisor(new TrackInferencePointcut(),
                new TrackInferenceInterceptor(tracker, streamElementsAreTokens));
    }
}
