package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.settings.Setting;
import java.util.List;

/** The keys only the Spring Boot starter binds (every other key is the core's or the servlet module's). */
public final class SpringKeys {

    /** Whether {@code @TrackInference} beans are proxied. */
    public static final Setting<Boolean> TRACKING_ENABLED = Setting.bool(Setting.PREFIX + "tracking.enabled", true,
            "Whether beans with @TrackInference methods are proxied and tracked.").only(Setting.Scope.SPRING);
    /** Whether each element of a tracked {@code Flux} counts as one output token. */
    public static final Setting<Boolean> STREAM_ELEMENTS_ARE_TOKENS = Setting.bool(Setting.PREFIX
            + "tracking.stream-elements-are-tokens", true, "Whether each element of a tracked Flux counts as one "
                    + "output token; the first element always marks the first token.").only(Setting.Scope.SPRING);
    /** The order of the tracking filter. */
    public static final Setting<Integer> FILTER_ORDER = Setting.integer(Setting.PREFIX + "servlet.filter-order", -90,
            Integer.MIN_VALUE, Integer.MAX_VALUE, "", "Order of the tracking filter registration: after Spring "
                    + "Security's filter chain (-100) by default.").only(Setting.Scope.SPRING);

    /** Every starter-only key. */
    public static final List<Setting<?>> ALL = List.of(TRACKING_ENABLED, STREAM_ELEMENTS_ARE_TOKENS, FILTER_ORDER);

    private SpringKeys() {
    }
}
