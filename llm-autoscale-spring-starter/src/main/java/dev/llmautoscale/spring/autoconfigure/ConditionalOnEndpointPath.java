package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.servlet.endpoint.EndpointKeys;
import dev.llmautoscale.settings.Setting;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the bare endpoints are enabled ({@code llm.autoscale.servlet.endpoints.enabled}) and an endpoint's
 * path key is set, or left at its default ({@link EndpointKeys}), to a non-blank path.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Conditional(ConditionalOnEndpointPath.OnEndpointPath.class)
@interface ConditionalOnEndpointPath {

    /**
     * @return the path key, one of {@link EndpointKeys}
     */
    String value();

    /** Evaluates {@link ConditionalOnEndpointPath}. */
    final class OnEndpointPath extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnEndpointPath.class.getName());
            String key = (String) attributes.get("value");
            Setting<?> setting = EndpointKeys.ALL.stream().filter(s -> s.key().equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("not an endpoint key: " + key));
            Binder binder = Binder.get(context.getEnvironment());
            ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnEndpointPath.class, key);
            if (!binder.bind(EndpointKeys.ENABLED.key(), Boolean.class).orElse(EndpointKeys.ENABLED.defaultValue())) {
                return ConditionOutcome.noMatch(message.because(EndpointKeys.ENABLED.key() + " is false"));
            }
            String path = binder.bind(key, String.class).orElse((String) setting.defaultValue());
            return path == null || path.isBlank()
                    ? ConditionOutcome.noMatch(message.because("no path is set"))
                    : ConditionOutcome.match(message.because("path is " + path));
        }
    }
}
