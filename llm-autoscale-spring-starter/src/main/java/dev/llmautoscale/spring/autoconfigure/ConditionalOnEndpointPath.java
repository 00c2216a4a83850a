package dev.llmautoscale.spring.autoconfigure;

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

/** Matches when a bare endpoint's path property (or its default) is set to a non-blank path. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Conditional(ConditionalOnEndpointPath.OnEndpointPath.class)
@interface ConditionalOnEndpointPath {

    /**
     * @return the path property, in canonical form
     */
    String value();

    /**
     * @return the path used when the property is not set; empty: off
     */
    String defaultPath() default "";

    /** Evaluates {@link ConditionalOnEndpointPath}. */
    final class OnEndpointPath extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnEndpointPath.class.getName());
            String property = (String) attributes.get("value");
            String path = Binder.get(context.getEnvironment()).bind(property, String.class)
                    .orElse((String) attributes.get("defaultPath"));
            ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnEndpointPath.class,
                    property);
            return path == null || path.isBlank()
                    ? ConditionOutcome.noMatch(message.because("no path is set"))
                    : ConditionOutcome.match(message.because("path is " + path));
        }
    }
}
